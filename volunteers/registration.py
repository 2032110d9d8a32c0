"""What an applicant must have done before staff register them, contributed by other apps.

`volunteers` never imports the apps that depend on it: `courses` registers a requirement (every
course marked "required for registration" completed), and `certificates` one that a required
course's certificate has not expired, from their `AppConfig.ready()`. Staff may still register
someone who misses a requirement, with a reason that the audit log keeps; a registered volunteer
whose required certificate expired is flagged on their record, not de-registered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RegistrationRequirement:
    """A rule for registration: `missing(profile)` names, for staff, what the applicant has not done.

    `lapsed(profile)`, if given, names what a person met once and no longer does (a required
    certificate that expired): staff see it flagged on the record of anyone, registered or not.
    Nobody is de-registered for it; staff decide.

    `meeting(profiles)`, if given, narrows a queryset of volunteer profiles to those who meet the
    rule, in the database (the staff dashboard's "ready to register" list asks every rule at once);
    it must agree with `missing` being empty.
    """

    key: str
    missing: Callable[[Any], list[str]]
    lapsed: Callable[[Any], list[str]] | None = None
    meeting: Callable[[Any], Any] | None = None


_requirements: dict[str, RegistrationRequirement] = {}


def register_registration_requirement(requirement: RegistrationRequirement) -> None:
    _requirements[requirement.key] = requirement


def registration_missing(profile: Any) -> list[str]:
    """Everything the applicant has not done yet, over all registered requirements."""
    missing: list[str] = []
    for requirement in _requirements.values():
        missing.extend(requirement.missing(profile))
    return missing


def profiles_meeting_requirements(profiles: Any) -> Any:
    """The profiles of `profiles` (a queryset) that meet every registered requirement."""
    for requirement in _requirements.values():
        if requirement.meeting is not None:
            profiles = requirement.meeting(profiles)
    return profiles


def registration_lapsed(profile: Any) -> list[str]:
    """What the person met once and no longer meets, over all registered requirements."""
    lapsed: list[str] = []
    for requirement in _requirements.values():
        if requirement.lapsed is not None:
            lapsed.extend(requirement.lapsed(profile))
    return lapsed
