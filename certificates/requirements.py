"""A volunteers registration requirement: the certificates of the courses required for registration
have not expired.

An applicant whose required course's certificate has expired misses the requirement (staff give a
reason to register them anyway); a registered volunteer whose certificate expired is flagged on
their staff record and in the completions report, never de-registered. Renewing it (the course's
refresher course) clears the flag.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate
from courses.learning.requirements import required_courses
from training.dates import format_date, issuer_zone
from volunteers.registration import RegistrationRequirement, register_registration_requirement


def expired_required_certificates(user_id: int) -> QuerySet[Certificate]:
    """The person's certificates of required courses that are past their validity and not renewed."""
    return (
        Certificate.objects.filter(
            volunteer_id=user_id,
            status=Certificate.Status.VALID,
            valid_until__lt=timezone.now(),
            course__in=required_courses(),
        )
        .select_related("course")
        .order_by("course__path")
    )


def expired_required(profile) -> list[str]:
    """For staff: each required course whose certificate expired, and when."""
    return [
        _("The certificate of the required course “%(course)s” expired after %(date)s and was not renewed.")
        % {
            "course": certificate.course.title,
            "date": format_date(certificate.valid_until, zone=issuer_zone()),
        }
        for certificate in expired_required_certificates(profile.user_id)
    ]


def profiles_without_expired_required(profiles: QuerySet) -> QuerySet:
    """The volunteer profiles whose person holds no expired, unrenewed certificate of a required course."""
    expired = Certificate.objects.filter(
        volunteer=OuterRef("user"),
        status=Certificate.Status.VALID,
        valid_until__lt=timezone.now(),
        course__in=required_courses(),
    )
    return profiles.exclude(Exists(expired))


def register() -> None:
    register_registration_requirement(
        RegistrationRequirement(
            key="required_certificates_current",
            missing=expired_required,
            lapsed=expired_required,
            meeting=profiles_without_expired_required,
        )
    )
