"""The notifications of the volunteer register (training.notices): account, registration, privacy."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

EMAIL_CONFIRMED = "email_confirmed"
VOLUNTEER_REGISTERED = "volunteer_registered"
REGISTRATION_INCOMPLETE = "registration_incomplete"
PRIVACY_NOTICE_CHANGED = "privacy_notice_changed"


def register() -> None:
    for name, label in (
        (EMAIL_CONFIRMED, _("Your email address is confirmed")),
        (VOLUNTEER_REGISTERED, _("You are registered as an overseas volunteer")),
        (REGISTRATION_INCOMPLETE, _("Your registration: some requirements are still to be done")),
        (PRIVACY_NOTICE_CHANGED, _("Our privacy notice has changed")),
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
