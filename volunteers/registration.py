"""What an applicant must have done before staff register them, contributed by other apps.

`volunteers` never imports the apps that depend on it: `courses` registers a requirement (every
course marked "required for registration" completed) from its `AppConfig.ready()`. Staff may
still register someone who misses a requirement, with a reason that the audit log keeps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RegistrationRequirement:
    """A rule for registration: `missing(profile)` names, for staff, what the applicant has not done."""

    key: str
    missing: Callable[[Any], list[str]]


_requirements: dict[str, RegistrationRequirement] = {}


def register_registration_requirement(requirement: RegistrationRequirement) -> None:
    _requirements[requirement.key] = requirement


def registration_missing(profile: Any) -> list[str]:
    """Everything the applicant has not done yet, over all registered requirements."""
    missing: list[str] = []
    for requirement in _requirements.values():
        missing.extend(requirement.missing(profile))
    return missing
