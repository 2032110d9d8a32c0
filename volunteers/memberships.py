"""Writes of organisations' leaders (issue 22): staff appoint them; a volunteer's choice of
organisation is a request until a leader confirms it; an applicant's leader endorses the application
(or declines it with a reason) before staff register them.

Every function is transactional and logged in Wagtail's audit log; people are told after the commit.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from volunteers.models import Organization, OrganizationLeader, User, VolunteerProfile
from volunteers.notices import endorsement_decided_notify, endorsement_requested_notify
from volunteers.selectors import organization_leader_ids


def membership_request_reset(profile: VolunteerProfile) -> None:
    """A newly chosen organisation is a request: nothing its leaders decided about the old one holds."""
    profile.membership_status = VolunteerProfile.Membership.REQUESTED
    profile.membership_decided_at = profile.membership_decided_by = None
    profile.endorsement = VolunteerProfile.Endorsement.NONE
    profile.endorsement_at = profile.endorsement_by = None
    profile.endorsement_reason = ""


def endorsement_ask(profile: VolunteerProfile) -> None:
    """An applicant who names an organisation with leaders waits for one of them to endorse."""
    if profile.organization_id is None or profile.status != VolunteerProfile.Status.APPLICANT:
        return
    for leader_id in organization_leader_ids(profile.organization_id):
        endorsement_requested_notify(
            user_id=leader_id, organization_id=profile.organization_id, profile_id=profile.pk
        )


class LeaderDecisionRefused(ValueError):
    """The request or application is no longer waiting for this organisation's leader."""


@transaction.atomic
def organization_leader_appoint(*, organization: Organization, user: User, actor: User) -> bool:
    """Make `user` a leader of `organization`; True when they were not one already. Logged."""
    _leader, created = OrganizationLeader.objects.get_or_create(
        organization=organization, user=user, defaults={"appointed_by": actor}
    )
    if created:
        log(organization, "volunteers.leader_appoint", user=actor, data={"leader_id": user.pk})
    return created


@transaction.atomic
def organization_leader_remove(*, organization: Organization, user: User, actor: User) -> bool:
    """End `user`'s leadership of `organization`; True when they were a leader. Logged."""
    removed, _detail = OrganizationLeader.objects.filter(organization=organization, user=user).delete()
    if removed:
        log(organization, "volunteers.leader_remove", user=actor, data={"leader_id": user.pk})
    return bool(removed)


def _pending_for(profile: VolunteerProfile, organization: Organization) -> VolunteerProfile:
    """The profile locked, when it still waits for a leader of `organization`; else refused."""
    locked = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if (
        locked.organization_id != organization.pk
        or locked.membership_status != VolunteerProfile.Membership.REQUESTED
        or locked.erased_at is not None
    ):
        raise LeaderDecisionRefused(_("This request is no longer waiting for a decision."))
    return locked


def _check_endorsable(profile: VolunteerProfile, leader: User) -> None:
    if profile.status != VolunteerProfile.Status.APPLICANT:
        raise LeaderDecisionRefused(_("Only an applicant's application is endorsed."))
    # The endorsement stands between an applicant and registration: nobody endorses themselves.
    if profile.user_id == leader.pk:
        raise LeaderDecisionRefused(
            _(
                "You cannot decide on your own application: another leader of the organisation, "
                "or staff, will decide."
            )
        )


def _decide_membership(profile: VolunteerProfile, status: str, leader: User, now) -> None:
    profile.membership_status = status
    profile.membership_decided_at, profile.membership_decided_by = now, leader


@transaction.atomic
def membership_confirm(
    *, profile: VolunteerProfile, organization: Organization, leader: User
) -> VolunteerProfile:
    """A leader confirms that the person belongs to the organisation: from now on they see the
    person's progress. An applicant's membership is confirmed by endorsing the application."""
    locked = _pending_for(profile, organization)
    if locked.status == VolunteerProfile.Status.APPLICANT:
        return endorsement_give(profile=locked, organization=organization, leader=leader)
    _decide_membership(locked, VolunteerProfile.Membership.CONFIRMED, leader, timezone.now())
    locked.save()
    log(locked, "volunteers.membership_confirm", user=leader, data={"organization_id": organization.pk})
    return locked


@transaction.atomic
def membership_decline(
    *, profile: VolunteerProfile, organization: Organization, leader: User
) -> VolunteerProfile:
    """A leader says the person is not one of theirs: they never see the person's progress."""
    locked = _pending_for(profile, organization)
    _decide_membership(locked, VolunteerProfile.Membership.DECLINED, leader, timezone.now())
    locked.save()
    log(locked, "volunteers.membership_decline", user=leader, data={"organization_id": organization.pk})
    return locked


@transaction.atomic
def endorsement_give(
    *, profile: VolunteerProfile, organization: Organization, leader: User
) -> VolunteerProfile:
    """A leader endorses an applicant's application, which also confirms the membership. Logged;
    the applicant is told."""
    locked = _pending_for(profile, organization)
    _check_endorsable(locked, leader)
    now = timezone.now()
    _decide_membership(locked, VolunteerProfile.Membership.CONFIRMED, leader, now)
    locked.endorsement = VolunteerProfile.Endorsement.ENDORSED
    locked.endorsement_at, locked.endorsement_by, locked.endorsement_reason = now, leader, ""
    locked.save()
    log(locked, "volunteers.endorse", user=leader, data={"organization_id": organization.pk})
    endorsement_decided_notify(user_id=locked.user_id, organization_id=organization.pk, endorsed=True)
    return locked


@transaction.atomic
def endorsement_decline(
    *, profile: VolunteerProfile, organization: Organization, leader: User, reason: str
) -> VolunteerProfile:
    """A leader declines to endorse an applicant, with a reason the applicant and staff read.
    Staff may still register the applicant, with a reason of their own."""
    reason = reason.strip()
    if not reason:
        raise LeaderDecisionRefused(_("Give the reason for declining."))
    locked = _pending_for(profile, organization)
    _check_endorsable(locked, leader)
    now = timezone.now()
    _decide_membership(locked, VolunteerProfile.Membership.DECLINED, leader, now)
    locked.endorsement = VolunteerProfile.Endorsement.DECLINED
    locked.endorsement_at, locked.endorsement_by, locked.endorsement_reason = now, leader, reason
    locked.save()
    log(locked, "volunteers.endorsement_decline", user=leader, data={"organization_id": organization.pk})
    endorsement_decided_notify(
        user_id=locked.user_id, organization_id=organization.pk, endorsed=False, reason=reason
    )
    return locked


def organization_members_viewed(*, organization: Organization, leader: User, what: str, count: int) -> None:
    """Every look a leader takes at member data (the page, an export) goes into the audit log."""
    log(organization, "volunteers.members_view", user=leader, data={"what": what, "members": count})
