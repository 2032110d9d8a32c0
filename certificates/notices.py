"""The notifications of certificates (training.notices): issued on completion, revoked, replaced,
renewed by a refresher course, expiring soon (60 and 14 days before) and expired."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from training.dates import format_date, issuer_zone
from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_REVOKED = "certificate_revoked"
CERTIFICATE_REPLACED = "certificate_replaced"
CERTIFICATE_RENEWED = "certificate_renewed"
CERTIFICATE_EXPIRING = "certificate_expiring"
CERTIFICATE_EXPIRED = "certificate_expired"


def register() -> None:
    for name, label in (
        (CERTIFICATE_ISSUED, _("Your certificate is ready")),
        (CERTIFICATE_REVOKED, _("Your certificate has been revoked")),
        (CERTIFICATE_REPLACED, _("Your certificate has been replaced")),
        (CERTIFICATE_RENEWED, _("Your certificate has been renewed")),
        (CERTIFICATE_EXPIRING, _("Your certificate expires soon")),
        (CERTIFICATE_EXPIRED, _("Your certificate has expired")),
    ):
        kind_register(
            NoticeKind(
                name=name, role=VOLUNTEER, templates=f"certificates/notices/{name}", label=label, link="link"
            )
        )


def _context(certificate: Certificate) -> dict:
    """What the person is told, as printed on the certificate; the link leads to it on their page."""
    return {
        "certificate_id": certificate.pk,
        "serial": certificate.serial,
        "course_title": {"th": certificate.course_title_th, "en": certificate.course_title_en},
        "link": per_language(lambda: f"{reverse('my_certificates')}#certificate-{certificate.serial}"),
    }


def certificate_issued_notify(certificate: Certificate, *, completed: bool) -> None:
    """`completed`: issued because the person completed the course (not by staff, by hand)."""
    notify(certificate.volunteer_id, CERTIFICATE_ISSUED, {**_context(certificate), "completed": completed})


def certificate_revoked_notify(certificate: Certificate) -> None:
    notify(
        certificate.volunteer_id,
        CERTIFICATE_REVOKED,
        {**_context(certificate), "reason": certificate.status_reason},
    )


def certificate_replaced_notify(old: Certificate, new: Certificate) -> None:
    notify(
        new.volunteer_id,
        CERTIFICATE_REPLACED,
        {**_context(new), "serial": old.serial, "new_serial": new.serial, "reason": old.status_reason},
    )


def _valid_until(certificate: Certificate) -> dict[str, str]:
    """The last day it is valid, as the certificate prints it (Bangkok calendar), in each language."""
    return per_language(lambda: format_date(certificate.valid_until, zone=issuer_zone()))


def certificate_renewed_notify(old: Certificate, new: Certificate) -> None:
    notify(
        new.volunteer_id,
        CERTIFICATE_RENEWED,
        {
            **_context(new),
            "old_serial": old.serial,
            "refresher_title": new.refresher_titles,
            "valid_until": _valid_until(new) if new.valid_until else "",
        },
    )


def renewal_context(certificate: Certificate) -> dict:
    """Where the holder renews it: the refresher course's page when the course names one (in each
    language it is live in), else their certificates page; and the refresher's title."""
    from courses.learning.notices import course_in_languages

    course = certificate.course
    refresher = course.refresher_course if course is not None else None
    if refresher is None or not refresher.live:
        return {}
    found = course_in_languages(refresher)
    return {"refresher_title": found["course_title"], "link": found["course_url"]}


def certificate_expiry_notify(certificate: Certificate, *, kind: str, days: int, key: str) -> None:
    """`kind`: CERTIFICATE_EXPIRING (`days` before) or CERTIFICATE_EXPIRED; `key` makes it once-only."""
    notify(
        certificate.volunteer_id,
        kind,
        {
            **_context(certificate),
            "days": days,
            "valid_until": _valid_until(certificate),
            **renewal_context(certificate),
        },
        key=key,
    )
