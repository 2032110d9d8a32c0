"""The notifications of the volunteer register (training.notices): account, registration, privacy."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

EMAIL_CONFIRMED = "email_confirmed"
VOLUNTEER_REGISTERED = "volunteer_registered"
REGISTRATION_INCOMPLETE = "registration_incomplete"
PRIVACY_NOTICE_CHANGED = "privacy_notice_changed"
ENDORSEMENT_REQUESTED = "endorsement_requested"
ENDORSEMENT_GIVEN = "endorsement_given"
ENDORSEMENT_DECLINED = "endorsement_declined"


def register() -> None:
    for name, label in (
        (EMAIL_CONFIRMED, _("Your email address is confirmed")),
        (VOLUNTEER_REGISTERED, _("You are registered as an overseas volunteer")),
        (REGISTRATION_INCOMPLETE, _("Your registration: some requirements are still to be done")),
        (PRIVACY_NOTICE_CHANGED, _("Our privacy notice has changed")),
        (ENDORSEMENT_REQUESTED, _("An applicant of your organisation waits for your endorsement")),
        (ENDORSEMENT_GIVEN, _("Your organisation's leader endorsed your application")),
        (ENDORSEMENT_DECLINED, _("Your organisation's leader declined to endorse your application")),
    ):
        kind_register(
            NoticeKind(
                name=name, role=VOLUNTEER, templates=f"volunteers/notices/{name}", label=label, link="link"
            )
        )


def email_confirmed_notify(*, user_id: int) -> None:
    notify(user_id, EMAIL_CONFIRMED, {"link": per_language(lambda: reverse("account_profile"))})


def volunteer_registered_notify(*, user_id: int, volunteer_number: str, missing: list[str]) -> None:
    """The volunteer number; and, when staff registered them with an override, what is still to do."""
    profile_link = per_language(lambda: reverse("account_profile"))
    notify(user_id, VOLUNTEER_REGISTERED, {"volunteer_number": volunteer_number, "link": profile_link})
    if missing:
        notify(
            user_id,
            REGISTRATION_INCOMPLETE,
            {"missing": list(missing), "link": per_language(lambda: reverse("learning_dashboard"))},
        )


def privacy_notice_changed_notify(*, user_id: int, version: int) -> None:
    notify(
        user_id,
        PRIVACY_NOTICE_CHANGED,
        {"version": version, "link": per_language(lambda: reverse("account_consent"))},
        key=f"version-{version}",
    )


def endorsement_requested_notify(*, user_id: int, organization_id: int, profile_id: int) -> None:
    """To a leader: someone applied naming their organisation (the page has the name, not the mail)."""
    link = per_language(lambda: reverse("organisation_detail", args=[organization_id]))
    notify(user_id, ENDORSEMENT_REQUESTED, {"link": link}, key=f"profile-{profile_id}-{organization_id}")


def endorsement_decided_notify(
    *, user_id: int, organization_id: int, endorsed: bool, reason: str = ""
) -> None:
    """To the applicant: their leader endorsed the application, or declined it and why."""
    link = per_language(lambda: reverse("account_profile"))
    if endorsed:
        notify(user_id, ENDORSEMENT_GIVEN, {"link": link})
    else:
        notify(user_id, ENDORSEMENT_DECLINED, {"link": link, "reason": reason})


CERTIFICATION_CHANGED = "certification_changed"
CERTIFICATION_EXPIRING = "certification_expiring"


def register_certification() -> None:
    """The kinds of the public-benefit certification (issue 22), told to the organisation's leaders."""
    for name, label in (
        (CERTIFICATION_CHANGED, _("Your organisation's certification application has changed")),
        (CERTIFICATION_EXPIRING, _("Your organisation's certification expires soon")),
    ):
        kind_register(
            NoticeKind(
                name=name, role=VOLUNTEER, templates=f"volunteers/notices/{name}", label=label, link="link"
            )
        )


def certification_changed_notify(
    *, user_id: int, organization_id: int, application_id: int, transition_id: int, state: str, note: str
) -> None:
    """To a leader: staff asked for changes, approved or declined the application (with their words)."""
    link = per_language(lambda: reverse("certification_detail", args=[organization_id, application_id]))
    notify(
        user_id,
        CERTIFICATION_CHANGED,
        {"state": state, "note": note, "link": link},
        key=f"transition-{transition_id}",
    )


def certification_expiring_notify(
    *, user_id: int, organization_id: int, number: str, expires_on: str, days: int
) -> None:
    """Once per certification (its number and expiry): it ends within the warning period."""
    link = per_language(lambda: reverse("certification_home", args=[organization_id]))
    notify(
        user_id,
        CERTIFICATION_EXPIRING,
        {"number": number, "expires_on": expires_on, "days": days, "link": link},
        key=f"organization-{organization_id}-{number}-{expires_on}",
    )
