"""The organisation's endorsement as a registration requirement: an applicant who names an
organisation with a leader is registered once that leader endorsed the application, or by staff
with a reason of their own (kept in the audit log, as with missing courses). Organisations without a
leader go straight to staff."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from volunteers.models import OrganizationLeader, VolunteerProfile
from volunteers.registration import RegistrationRequirement, register_registration_requirement
from volunteers.selectors import organization_has_leader


def missing_endorsement(profile: VolunteerProfile) -> list[str]:
    if profile.endorsement == VolunteerProfile.Endorsement.ENDORSED:
        return []
    if not organization_has_leader(profile.organization_id):
        return []
    if profile.endorsement == VolunteerProfile.Endorsement.DECLINED:
        return [
            _("The organisation's leader declined to endorse the application: %(reason)s")
            % {"reason": profile.endorsement_reason}
        ]
    return [_("The endorsement of the organisation's leader")]


def profiles_with_endorsement(profiles: QuerySet) -> QuerySet:
    """The profiles that need no endorsement (no organisation, or one without a leader) or have it."""
    led = Exists(OrganizationLeader.objects.filter(organization=OuterRef("organization")))
    return profiles.exclude(led & ~Q(endorsement=VolunteerProfile.Endorsement.ENDORSED))


def register() -> None:
    register_registration_requirement(
        RegistrationRequirement(
            key="endorsement", missing=missing_endorsement, meeting=profiles_with_endorsement
        )
    )
