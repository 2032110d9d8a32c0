"""Evaluation results for staff and trainers: per course, country and period, only ever from the
answers `suppression` lets a filter show. Free-text answers come in a random order and without
their month; a filter that shows nothing shows no text either.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from courses.authoring.models import CoursePage
from courses.evaluations.forms import RATINGS, in_language, option_choices
from courses.evaluations.models import EvaluationAnswer, EvaluationForm
from courses.evaluations.selectors import default_evaluation_form
from courses.evaluations.suppression import (
    Cell,
    Filter,
    current_quarter_start,
    held_back,
    quarter_of,
    shown_cells,
    shown_count,
)


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    kind: str
    label: str
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    course: CoursePage
    form: EvaluationForm | None
    wanted: Filter
    count: int | None  # None: hidden
    held_back: bool
    questions: list[QuestionResult]
    quarters: list[tuple[int, int]]
    countries: list[str]
    table: list[tuple[str | None, list[int | None]]]  # (country or None for all, counts per column)


def results_form(course: CoursePage) -> EvaluationForm | None:
    """The form whose answers a course's results show: the one it asks now."""
    if course.evaluation_form_id:
        return EvaluationForm.objects.filter(pk=course.evaluation_form_id).first()
    return default_evaluation_form()


def _percent(count: int, total: int) -> int:
    return (count * 200 + total) // (2 * total) if total else 0


def _question_results(
    form: EvaluationForm, answers: list[dict[str, Any]], language: str
) -> list[QuestionResult]:
    results = []
    for block in form.questions:
        value, key = block.value, str(block.id)
        given = [answer[key] for answer in answers if answer.get(key) not in (None, "", [])]
        result = QuestionResult(
            kind=block.block_type, label=in_language(language, value, "question"), answered=len(given)
        )
        if block.block_type == "rating":
            numbers = [number for number in given if number in RATINGS]
            for number in RATINGS:
                count = numbers.count(number)
                result.bars.append(Bar(str(number), count, _percent(count, len(numbers))))
            result.mean = round(sum(numbers) / len(numbers), 1) if numbers else None
        elif block.block_type == "choice":
            chosen = [option for item in given for option in (item if isinstance(item, list) else [item])]
            for option_id, label in option_choices(value, language):
                count = chosen.count(option_id)
                result.bars.append(Bar(label, count, _percent(count, len(given))))
        else:
            texts = [str(text) for text in given]
            random.SystemRandom().shuffle(texts)
            result.texts = texts
        results.append(result)
    return results


def course_results(
    *,
    course: CoursePage,
    wanted: Filter,
    language: str,
    today: datetime.date,
    countries: frozenset[str] | None = None,
) -> Results:
    """The course's results under `wanted`, with the table of how many answers each country and
    quarter shows (None where hidden). `countries` limits everything to a country coordinator's
    countries, over everyone's blocks (see `suppression.Filter`)."""
    wanted = replace(wanted, countries=countries)
    form = results_form(course)
    rows = list(
        EvaluationAnswer.objects.filter(
            course=course, form=form, month__lt=current_quarter_start(today)
        ).values_list("country", "month", "answers")
    )
    counts: dict[Cell, int] = {}
    for country, month, _answers in rows:
        cell = Cell(quarter_of(month), country)
        counts[cell] = counts.get(cell, 0) + 1
    shown = shown_cells(counts, wanted)
    picked = [answers for country, month, answers in rows if Cell(quarter_of(month), country) in shown]
    visible = [cell for cell in counts if countries is None or cell.country in countries]
    quarters = sorted({cell.quarter for cell in visible})
    shown_countries = sorted({cell.country for cell in visible})
    table = [
        (
            country,
            [shown_count(counts, Filter(country, quarter, countries)) for quarter in quarters]
            + [shown_count(counts, Filter(country, None, countries))],
        )
        for country in [None, *shown_countries]
    ]
    return Results(
        course=course,
        form=form,
        wanted=wanted,
        count=len(picked) if picked else None,
        held_back=held_back(counts, wanted),
        questions=_question_results(form, picked, language) if form is not None and picked else [],
        quarters=quarters,
        countries=shown_countries,
        table=table,
    )


def quarter_label(quarter: tuple[int, int], language: str) -> str:
    year, number = quarter
    if language.startswith("th"):
        year += 543
    if number == 0:
        return str(year)
    return _("Q%(number)s %(year)s") % {"number": number, "year": year}


def export_rows(results: Results, *, period_label: str, country_label: str) -> list[list[Any]]:
    """The rows of a results export: only what the page shows (whole blocks); texts only then too."""
    rows: list[list[Any]] = [
        [_("Course"), results.course.title],
        [_("Country"), country_label],
        [_("Period"), period_label],
        [_("Answers shown"), results.count if results.count is not None else _("Hidden: fewer than 5")],
        [],
        [_("Question"), _("Answer"), _("Count"), _("Share (%)")],
    ]
    for question in results.questions:
        for bar in question.bars:
            rows.append([question.label, bar.label, bar.count, bar.percent])
        if question.mean is not None:
            rows.append([question.label, _("Average (1 to 5)"), question.mean, None])
        for text in question.texts:
            rows.append([question.label, text, None, None])
    return rows
