"""What an organisation's leader sees of each confirmed member's training, contributed by other apps.

Like the record sections: `courses` registers the courses in progress and completed, and
`certificates` the certificates (their state only, never a revocation's reason), from their
`AppConfig.ready()`, so `volunteers` never imports them. Each column loads every member of a page
at once (`values(user_ids)`), so the leader's list costs the same few queries for 5 members or 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MemberColumn:
    """A column of the leader's member list: `values(user_ids)` maps each member's account id to
    the short texts of its cell (course titles, a certificate and its state)."""

    key: str
    label: Any
    values: Callable[[list[int]], dict[int, list[str]]]
    order: int = 100


_columns: dict[str, MemberColumn] = {}


def register_member_column(column: MemberColumn) -> None:
    _columns[column.key] = column


def member_columns() -> list[MemberColumn]:
    return sorted(_columns.values(), key=lambda column: column.order)
