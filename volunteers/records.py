"""Sections of the staff record view of a volunteer, contributed by each app.

Like the privacy registry: `courses` and `certificates` register a section (progress,
certificates) from their `AppConfig.ready()`, so `volunteers` never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordSection:
    """A titled block on the staff record view, rendered from `template_name` with `get_context(profile)`."""

    key: str
    label: Any
    template_name: str
    get_context: Callable[[Any], dict]
    order: int = 100


_sections: dict[str, RecordSection] = {}


def register_record_section(section: RecordSection) -> None:
    _sections[section.key] = section


def record_sections() -> list[RecordSection]:
    return sorted(_sections.values(), key=lambda section: section.order)


@dataclass(frozen=True)
class RecordAction:
    """A button on the staff record view: `url(profile, next_url)` where `shown(user, profile)` holds.

    Each action leads to a confirmation page whose service audits the change.
    """

    key: str
    label: Any
    url: Callable[[Any, str], str]
    shown: Callable[[Any, Any], bool]
    icon: str = ""
    order: int = 100


_actions: dict[str, RecordAction] = {}


def register_record_action(action: RecordAction) -> None:
    _actions[action.key] = action


def record_actions(user: Any, profile: Any) -> list[RecordAction]:
    shown = [action for action in _actions.values() if action.shown(user, profile)]
    return sorted(shown, key=lambda action: action.order)


def bulk_action_url(action_type: str, profile: Any, next_url: str) -> str:
    """The confirmation page of a bulk action on the volunteer list, for this one record."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action_type])
    return f"{url}?{urlencode({'id': profile.pk, 'next': next_url})}"
