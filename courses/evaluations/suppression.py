"""Which evaluation answers a filter may show without revealing a group smaller than five.

Pure functions over counts, so the rule can be read and tested on its own (docs/evaluation.md):

1. Only closed quarters count: the current quarter's answers are shown once it has ended, so
   watching a figure grow day by day reveals nothing.
2. The answers of a course are cut into "blocks" of at least MIN_GROUP answers, quarter by quarter
   in time order: a (country, quarter) cell with at least five answers is a block of its own; the
   smaller cells of the quarter join a waiting pool, which becomes one block (of several countries
   and perhaps quarters) as soon as it holds five. A block, once made, never changes; what is still
   in the pool is shown nowhere.
3. A filter (one country or all, one quarter, a year or all time) shows the answers of the blocks
   that lie wholly inside it, and nothing of a block it only cuts through.

So every figure on the page or in an export is a sum over whole blocks, and so is any difference
or other combination of figures, from one filter or several, today or later: nothing smaller than
a block of five can be worked out. A (country, quarter) cell under five is never shown on its own.

The run of a course (item 1 of issue 21) will be one more part of a cell's key next to the
country: `Cell` and `Filter` are where it goes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MIN_GROUP = 5

Quarter = tuple[int, int]  # (year, 1..4)


def quarter_of(month: datetime.date) -> Quarter:
    return month.year, (month.month - 1) // 3 + 1


def quarter_start(quarter: Quarter) -> datetime.date:
    year, number = quarter
    return datetime.date(year, 3 * (number - 1) + 1, 1)


def current_quarter_start(today: datetime.date) -> datetime.date:
    """Answers from this day on belong to the quarter not yet closed."""
    return quarter_start(quarter_of(today))


@dataclass(frozen=True, order=True)
class Cell:
    """The smallest grouping of answers: one quarter and one country ("" when none was given)."""

    quarter: Quarter
    country: str


@dataclass(frozen=True)
class Filter:
    """What a reader asks for: a country (None: all) and a period (None: all closed quarters; a
    year as (year, 0); or a quarter); and the countries the reader may see at all (None: every
    country; a country coordinator's otherwise).

    A coordinator's filters are ordinary filters narrowed to their countries, over the same blocks
    as everyone's: a block pooled from their country and another is wholly inside none of their
    filters and shows to them nowhere. Blocks are never cut again for them (that would make new
    groupings whose differences with everyone's could isolate fewer than five answers)."""

    country: str | None = None
    period: Quarter | None = None
    countries: frozenset[str] | None = None

    def holds(self, cell: Cell) -> bool:
        if self.countries is not None and cell.country not in self.countries:
            return False
        if self.country is not None and cell.country != self.country:
            return False
        if self.period is None:
            return True
        year, number = self.period
        return cell.quarter[0] == year and number in (0, cell.quarter[1])


def blocks(counts: dict[Cell, int]) -> list[frozenset[Cell]]:
    """The course's answers cut into blocks of at least MIN_GROUP, in time order (rule 2)."""
    made: list[frozenset[Cell]] = []
    pool: list[Cell] = []
    waiting = 0
    for quarter in sorted({cell.quarter for cell in counts}):
        for cell in sorted(cell for cell in counts if cell.quarter == quarter and counts[cell] > 0):
            if counts[cell] >= MIN_GROUP:
                made.append(frozenset([cell]))
            else:
                pool.append(cell)
                waiting += counts[cell]
        if waiting >= MIN_GROUP:
            made.append(frozenset(pool))
            pool, waiting = [], 0
    return made


def shown_cells(counts: dict[Cell, int], wanted: Filter) -> set[Cell]:
    """The cells whose answers `wanted` shows: those of the blocks wholly inside it (rule 3)."""
    return {cell for block in blocks(counts) if all(wanted.holds(cell) for cell in block) for cell in block}


def shown_count(counts: dict[Cell, int], wanted: Filter) -> int | None:
    """How many answers `wanted` shows, or None when it shows none (hidden)."""
    cells = shown_cells(counts, wanted)
    return sum(counts[cell] for cell in cells) if cells else None


def held_back(counts: dict[Cell, int], wanted: Filter) -> bool:
    """Whether some answers inside `wanted` are left out of it (in the pool or a block it cuts)."""
    inside = {cell for cell, count in counts.items() if count and wanted.holds(cell)}
    return inside != shown_cells(counts, wanted)


def closed(cells: Iterable[Cell], today: datetime.date) -> list[Cell]:
    limit = quarter_of(today)
    return [cell for cell in cells if cell.quarter < limit]
