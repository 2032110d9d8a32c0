"""The small-group rule of evaluation results (courses/evaluations/suppression.py, docs/evaluation.md):
no cell under five is shown, and no two filters, now or later, differ by a group under five."""

import datetime
import itertools

from courses.evaluations.suppression import (
    Cell,
    Filter,
    blocks,
    closed,
    current_quarter_start,
    held_back,
    shown_cells,
    shown_count,
)

Q1, Q2, Q3 = (2026, 1), (2026, 2), (2026, 3)


def every_filter(counts):
    countries = sorted({cell.country for cell in counts})
    quarters = sorted({cell.quarter for cell in counts})
    periods = [None, *quarters, *sorted({(year, 0) for year, _n in quarters})]
    return [Filter(country, period) for country in [None, *countries] for period in periods]


def assert_no_difference_reveals_a_small_group(counts):
    """Every pair of filters: the answers one shows and the other does not are none or five or more."""
    shown = {wanted: shown_cells(counts, wanted) for wanted in every_filter(counts)}
    for a, b in itertools.permutations(shown, 2):
        difference = sum(counts[cell] for cell in shown[a] - shown[b])
        assert difference == 0 or difference >= 5, (a, b, difference)
    for wanted, cells in shown.items():
        total = sum(counts[cell] for cell in cells)
        assert total == 0 or total >= 5, (wanted, total)


def test_a_cell_of_five_shows_and_a_cell_of_four_does_not():
    counts = {Cell(Q1, "NO"): 5, Cell(Q1, "SE"): 4}
    assert shown_count(counts, Filter("NO", Q1)) == 5
    assert shown_count(counts, Filter("SE", Q1)) is None
    assert shown_count(counts, Filter("SE", None)) is None


def test_a_filters_total_and_all_but_one_of_its_cells_never_show_together():
    """All countries in Q1 = Norway + Sweden: showing the total (12) and Norway (10) would give
    Sweden's 2 by subtraction, so the total counts Norway only and says some answers are held back."""
    counts = {Cell(Q1, "NO"): 10, Cell(Q1, "SE"): 2}
    assert shown_count(counts, Filter("NO", Q1)) == 10
    assert shown_count(counts, Filter(None, Q1)) == 10
    assert held_back(counts, Filter(None, Q1))
    assert_no_difference_reveals_a_small_group(counts)


def test_two_overlapping_periods_do_not_reveal_the_answers_that_only_one_holds():
    """The attack: Q1 alone against the year (Q1 and Q2), where Q2 holds 2 answers. The year would
    show 2 more answers than Q1, and their ratings by subtraction; it shows the same as Q1 instead."""
    counts = {Cell(Q1, "NO"): 8, Cell(Q2, "NO"): 2}
    quarter, year = Filter("NO", Q1), Filter("NO", (2026, 0))
    assert shown_cells(counts, year) - shown_cells(counts, quarter) == set()
    assert shown_count(counts, year) == shown_count(counts, quarter) == 8
    assert_no_difference_reveals_a_small_group(counts)


def test_small_groups_are_pooled_into_a_block_of_five_that_shows_only_in_wider_filters():
    counts = {Cell(Q1, "NO"): 7, Cell(Q1, "SE"): 3, Cell(Q1, "DK"): 1, Cell(Q2, "NO"): 6, Cell(Q2, "SE"): 2}
    made = blocks(counts)
    assert frozenset({Cell(Q1, "SE"), Cell(Q1, "DK"), Cell(Q2, "SE")}) in made
    assert shown_count(counts, Filter(None, None)) == 19
    assert shown_count(counts, Filter(None, (2026, 0))) == 19
    assert shown_count(counts, Filter(None, Q1)) == 7  # the pooled block reaches into Q2
    assert shown_count(counts, Filter("SE", None)) is None  # the block holds Denmark too
    assert shown_count(counts, Filter("NO", None)) == 13
    assert_no_difference_reveals_a_small_group(counts)


def test_a_figure_grows_only_by_whole_blocks_as_quarters_close():
    """Yesterday's and today's figures of the same filter differ by nothing under five: a pool
    held back until it reaches five, and blocks once made never change."""
    before = {Cell(Q1, "NO"): 9, Cell(Q1, "SE"): 3}
    after = {**before, Cell(Q2, "SE"): 1}
    later = {**after, Cell(Q3, "SE"): 1, Cell(Q3, "NO"): 5}
    for old, new in ((before, after), (after, later)):
        old_blocks = blocks(old)
        assert all(block in blocks(new) for block in old_blocks)
        for wanted in every_filter(new):
            gained = sum(new[cell] for cell in shown_cells(new, wanted) - shown_cells(old, wanted))
            assert gained == 0 or gained >= 5, wanted
            assert shown_cells(old, wanted) <= shown_cells(new, wanted) or shown_count(new, wanted) is None


def test_random_tables_never_reveal_a_small_group_by_any_pair_of_filters():
    import random

    generator = random.Random(21)
    for _round in range(60):
        counts = {
            Cell(quarter, country): generator.choice([0, 1, 2, 3, 4, 5, 6, 9])
            for quarter in (Q1, Q2, Q3, (2027, 1))
            for country in ("NO", "SE", "DK", "")
        }
        counts = {cell: n for cell, n in counts.items() if n}
        assert_no_difference_reveals_a_small_group(counts)


def test_only_closed_quarters_count():
    today = datetime.date(2026, 5, 17)
    assert current_quarter_start(today) == datetime.date(2026, 4, 1)
    assert closed([Cell(Q1, "NO"), Cell(Q2, "NO")], today) == [Cell(Q1, "NO")]
