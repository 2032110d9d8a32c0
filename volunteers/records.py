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
