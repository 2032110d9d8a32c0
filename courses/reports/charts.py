"""The numbers behind the staff charts: completions per month, the volunteer funnel by country,
courses' completion rates, quiz pass rates and organisations by certification state.

Each chart counts the rows its report lists, through that report's own filter set (completions,
progress, quiz results, the volunteer register), so a chart cannot disagree with its report for
the same filter. Each is one grouped query, however many courses, quizzes, months or countries
there are. A country coordinator's charts count their countries' volunteers (and organisations)
only, as their reports list them. Drawing is `courses.reports.svg`'s.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet
from wagtail.models import Page

from courses.learning.outlines import share_percent
from courses.learning.requirements import with_required_courses_done
from courses.reports import exports
from courses.reports.views import (
    VOLUNTEER_COUNTRY,
    CompletionsFilterSet,
    ProgressFilterSet,
    QuizResultsFilterSet,
)
from training.dates import format_month, issuer_zone
from volunteers.coordinators import countries_of
from volunteers.countries import country_name
from volunteers.models import Organization, VolunteerProfile
from volunteers.wagtail_hooks import VolunteerFilterSet

MONTHS_SHOWN = 12
MONTHS_AT_MOST = 24


@dataclass(frozen=True)
class Bar:
    """One bar: a count, or for a rate the count out of `total`."""

    value: int
    total: int | None = None

    @property
    def percent(self) -> int | None:
        return None if self.total is None else share_percent(self.value, self.total)


@dataclass(frozen=True)
class ChartRow:
    label: str
    bars: tuple[Bar, ...]


@dataclass
class Chart:
    """A chart's words and numbers. `series` names the bars of each row (a funnel's stages; one
    name for a chart of one bar a row); a rate chart's bars are `series[0]` out of `total_label`."""

    key: str
    title: str
    description: str
    label_heading: str
    series: list[str]
    rows: list[ChartRow] = field(default_factory=list)
    total_label: str = ""
    note: str = ""

    @property
    def is_rate(self) -> bool:
        return bool(self.total_label)

    @property
    def has_data(self) -> bool:
        return any(bar.value or bar.total for row in self.rows for bar in row.bars)


@dataclass(frozen=True)
class ChartFilters:
    """The charts' filter, as the reports take it: a course, a run, a country, an organisation and
    a period of whole days in Bangkok time; and the countries the viewer is limited to, as
    `volunteers.coordinators.countries_of` gives them (None: every country)."""

    course: int | None = None
    run: int | None = None
    country: str = ""
    organization: int | None = None
    start: datetime.date | None = None
    stop: datetime.date | None = None
    countries: frozenset[str] | None = None

    @classmethod
    def for_user(cls, user, **fields) -> ChartFilters:
        return cls(countries=countries_of(user), **fields)

    @classmethod
    def from_cleaned_data(cls, data: dict[str, Any], user) -> ChartFilters:
        period = data.get("period")
        return cls.for_user(
            user,
            course=data["course"].pk if data.get("course") else None,
            run=data["run"].pk if data.get("run") else None,
            country=data.get("country") or "",
            organization=data["organization"].pk if data.get("organization") else None,
            start=period.start.date() if period and period.start else None,
            stop=period.stop.date() if period and period.stop else None,
        )

    def report_data(self, *names: str, period: str = "", start=None, stop=None) -> dict[str, str]:
        """The query a report takes for the same filter: the fields `names`, and the period under
        the report's own name for it (`period`), from `start` to `stop` unless given."""
        data = {name: str(getattr(self, name)) for name in names if getattr(self, name) not in (None, "")}
        start, stop = start or self.start, stop or self.stop
        if period and start:
            data[f"{period}_from"] = start.isoformat()
        if period and stop:
            data[f"{period}_to"] = stop.isoformat()
        return data

    def scoped(self, queryset: QuerySet, field: str = VOLUNTEER_COUNTRY) -> QuerySet:
        """`queryset` kept to the viewer's countries, where `field` holds the country."""
        if self.countries is None:
            return queryset
        return queryset.filter(**{f"{field}__in": self.countries})


def _filtered(filterset: FilterSet) -> QuerySet:
    # The charts' form took the same values already; a report refusing them is a bad request.
    if not filterset.is_valid():
        raise BadRequest("The filter is not valid.")
    return filterset.qs.order_by()


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_window(filters: ChartFilters, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the months a chart of months shows: the last twelve up to the period's
    end (today by default), or the period's months when it starts, at most the last 24 of them."""
    today = today or timezone.now().astimezone(issuer_zone()).date()
    last = (filters.stop or today).replace(day=1)
    first = filters.start.replace(day=1) if filters.start else _add_months(last, 1 - MONTHS_SHOWN)
    months = []
    while first <= last:
        months.append(first)
        first = _add_months(first, 1)
    return months[-MONTHS_AT_MOST:]


def completions_per_month(filters: ChartFilters, *, today: datetime.date | None = None) -> Chart:
    """Course completions in each month, in Bangkok time, as the completions report counts them."""
    months = month_window(filters, today)
    chart = Chart(
        key="completions",
        title=gettext("Course completions per month"),
        description="",
        label_heading=gettext("Month"),
        series=[gettext("Completions")],
        note=gettext("Filtered by course, run, country, organisation and period (completed, Bangkok time)."),
    )
    if not months:
        chart.description = gettext("No months in this period.")
        return chart
    start = max(filters.start or months[0], months[0])
    stop = filters.stop or today or timezone.now().astimezone(issuer_zone()).date()
    data = filters.report_data(
        "course", "run", "country", "organization", period="completed_at", start=start, stop=stop
    )
    zone = issuer_zone()
    counts = {
        row["month"].astimezone(zone).date(): row["total"]
        for row in _filtered(CompletionsFilterSet(data, queryset=filters.scoped(exports.completions_base())))
        .annotate(month=TruncMonth("completed_at", tzinfo=zone))
        .values("month")
        .annotate(total=Count("pk"))
    }
    chart.rows = [ChartRow(format_month(month, short=True), (Bar(counts.get(month, 0)),)) for month in months]
    total = sum(counts.values())
    chart.description = ngettext(
        "%(total)s course completion from %(first)s to %(last)s; the most in one month: %(most)s.",
        "%(total)s course completions from %(first)s to %(last)s; the most in one month: %(most)s.",
        total,
    ) % {
        "total": total,
        "first": format_month(months[0]),
        "last": format_month(months[-1]),
        "most": max(counts.values(), default=0),
    }
    return chart


@dataclass(frozen=True)
class FunnelStage:
    """A stage of the volunteer funnel: `condition` takes the profiles and gives them back (with
    any annotation the stage needs) with the condition a profile meets at this stage."""

    key: str
    label: Any
    condition: Callable[[QuerySet], tuple[QuerySet, Q]]


# In order; the stages reached later come after (the organisation's endorsement, when it comes,
# sits between "applied" and "trained").
FUNNEL_STAGES: list[FunnelStage] = [
    FunnelStage("applied", _("Applicants"), lambda profiles: (profiles, Q(pk__isnull=False))),
    FunnelStage("trained", _("Trained"), with_required_courses_done),
    FunnelStage(
        "registered",
        _("Registered"),
        lambda profiles: (profiles, Q(status=VolunteerProfile.Status.REGISTERED)),
    ),
]


def funnel_profiles() -> QuerySet[VolunteerProfile]:
    """Everyone who applied and was not erased, whatever their status now."""
    return VolunteerProfile.objects.filter(erased_at__isnull=True)


def volunteer_funnel(filters: ChartFilters) -> Chart:
    """By country: how many applied, were trained (completed every course required for
    registration) and are registered, as the volunteer register filters them."""
    stages = FUNNEL_STAGES
    chart = Chart(
        key="funnel",
        title=gettext("From applicant to registered volunteer, by country"),
        description="",
        label_heading=gettext("Country"),
        series=[str(stage.label) for stage in stages],
        note=gettext(
            "Trained: completed every course required for registration (staff may register someone "
            "before that, giving a reason). Filtered by country and organisation only."
        ),
    )
    profiles = _filtered(
        VolunteerFilterSet(
            filters.report_data("country", "organization"),
            queryset=filters.scoped(funnel_profiles(), "country"),
        )
    )
    conditions = {}
    for stage in stages:
        profiles, conditions[stage.key] = stage.condition(profiles)
    rows = list(
        profiles.values("country").annotate(
            **{stage.key: Count("pk", filter=conditions[stage.key]) for stage in stages}
        )
    )
    names = {
        row["country"]: country_name(row["country"]) if row["country"] else gettext("Not given")
        for row in rows
    }
    rows.sort(key=lambda row: (-row[stages[0].key], names[row["country"]]))
    chart.rows = [
        ChartRow(names[row["country"]], tuple(Bar(row[stage.key]) for stage in stages)) for row in rows
    ]
    totals = [sum(row[stage.key] for row in rows) for stage in stages]
    chart.description = ngettext(
        "In %(countries)s country: %(stages)s.", "In %(countries)s countries: %(stages)s.", len(rows)
    ) % {
        "countries": len(rows),
        "stages": ", ".join(f"{label} {total}" for label, total in zip(chart.series, totals, strict=True)),
    }
    return chart


def course_completion_rates(filters: ChartFilters) -> Chart:
    """For each course: of the volunteers enrolled (in the period), how many completed it, as the
    progress report lists them."""
    chart = Chart(
        key="completion-rates",
        title=gettext("Courses' completion rates"),
        description="",
        label_heading=gettext("Course"),
        series=[gettext("Completed")],
        total_label=gettext("Enrolled volunteers"),
        note=gettext("Filtered by course, run, country, organisation and period (enrolled, Bangkok time)."),
    )
    data = filters.report_data("course", "run", "country", "organization", period="enrolled_at")
    rows = (
        _filtered(ProgressFilterSet(data, queryset=filters.scoped(exports.enrolments_base())))
        .annotate(completed_at=exports.enrolment_completed_at())
        .values("course_id", "course__title")
        .annotate(enrolled=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False)))
        .order_by("course__title", "course_id")
    )
    chart.rows = [ChartRow(row["course__title"], (Bar(row["completed"], row["enrolled"]),)) for row in rows]
    chart.description = _rates_description(
        chart,
        ngettext(
            "%(count)s course; the highest completion rate: %(best)s.",
            "%(count)s courses; the highest completion rate: %(best)s.",
            len(chart.rows),
        ),
    )
    return chart


def quiz_pass_rates(filters: ChartFilters, request: HttpRequest) -> Chart:
    """For each quiz: of the volunteers who finished an attempt, how many passed, as the quiz
    results report lists them (one row per volunteer and quiz)."""
    chart = Chart(
        key="pass-rates",
        title=gettext("Quiz pass rates"),
        description="",
        label_heading=gettext("Quiz"),
        series=[gettext("Passed")],
        total_label=gettext("Finished an attempt"),
        note=gettext("Filtered by course, country and organisation only."),
    )
    data = filters.report_data("course", "country", "organization")
    rows = (
        _filtered(
            QuizResultsFilterSet(data, queryset=filters.scoped(exports.quiz_results_base()), request=request)
        )
        .annotate(
            course_title=Subquery(Page.objects.filter(path=OuterRef("course_path")).values("title")[:1])
        )
        .values("quiz_id", "quiz__title", "course_title", "quiz__path")
        .annotate(finished=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by("quiz__path")
    )
    chart.rows = [
        ChartRow(
            f"{row['quiz__title']} · {row['course_title'] or ''}".strip(" ·"),
            (Bar(row["passed"], row["finished"]),),
        )
        for row in rows
    ]
    chart.description = _rates_description(
        chart,
        ngettext(
            "%(count)s quiz; the highest pass rate: %(best)s.",
            "%(count)s quizzes; the highest pass rate: %(best)s.",
            len(chart.rows),
        ),
    )
    return chart


def _rates_description(chart: Chart, template: str) -> str:
    best = max(chart.rows, key=lambda row: row.bars[0].percent or 0, default=None)
    return template % {
        "count": len(chart.rows),
        "best": f"{best.label} {best.bars[0].percent}%" if best else "—",
    }


def organisations_by_certification(filters: ChartFilters) -> Chart:
    """Confirmed organisations (in the country) by public-benefit certification state, as the
    organisations listing filters them."""
    chart = Chart(
        key="certification",
        title=gettext("Organisations by public-benefit certification"),
        description="",
        label_heading=gettext("Certification"),
        series=[gettext("Organisations")],
        note=gettext("Organisations confirmed by staff; filtered by country only."),
    )
    organisations = filters.scoped(Organization.objects.filter(is_confirmed=True), "country")
    if filters.country:
        organisations = organisations.filter(country=filters.country)
    counts = dict(
        organisations.order_by()
        .values("certification_status")
        .annotate(total=Count("pk"))
        .values_list("certification_status", "total")
    )
    chart.rows = [
        ChartRow(str(label), (Bar(counts.get(value, 0)),))
        for value, label in Organization.Certification.choices
    ]
    chart.description = ngettext(
        "%(total)s organisation: %(states)s.", "%(total)s organisations: %(states)s.", sum(counts.values())
    ) % {
        "total": sum(counts.values()),
        "states": ", ".join(f"{row.label} {row.bars[0].value}" for row in chart.rows),
    }
    return chart


def all_charts(filters: ChartFilters, request: HttpRequest) -> list[Chart]:
    return [
        completions_per_month(filters),
        volunteer_funnel(filters),
        course_completion_rates(filters),
        quiz_pass_rates(filters, request),
        organisations_by_certification(filters),
    ]
