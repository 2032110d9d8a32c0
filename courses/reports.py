"""Staff reports on learning: course completions, progress and quiz results, their columns and exports.

Columns are a small registry, so apps that depend on `courses` (certificates adds the serial and
status of the certificate a completion earned) add their own from `AppConfig.ready()` without
`courses` importing them. Screen and export read every cell through the same column, so the two
always agree. Exports stream from a chunked queryset and never hold the whole report in memory.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from wagtail.models import Page

from courses.models import (
    CompletionRule,
    CourseCompletion,
    Enrollment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
    QuizResult,
)
from courses.selectors import quiz_course_path
from volunteers.countries import country_name

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK_SIZE = 2000


def neutralise(value: str) -> str:
    """A cell that a spreadsheet would run as a formula is stored as text instead."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def bangkok_time(moment: datetime.datetime | None) -> str:
    """A moment as staff read it: Asia/Bangkok wall time, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).strftime("%Y-%m-%d %H:%M")


def bangkok_day_bounds(start: datetime.date | None, stop: datetime.date | None):
    """The UTC moments that open `start` and close `stop`, both days in Asia/Bangkok."""
    zone = ZoneInfo(settings.DISPLAY_TIME_ZONE)
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone) if start else None
    upper = (
        datetime.datetime.combine(stop + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        if stop
        else None
    )
    return lower, upper


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report: its heading, its text for a row, and what the queryset needs for it."""

    key: str
    label: Any
    text: Callable[[Any], str]
    annotate: Callable[[QuerySet], QuerySet] | None = None
    order: int = 100


_columns: dict[str, dict[str, ReportColumn]] = {"completions": {}, "progress": {}, "quiz_results": {}}


def register_report_column(report: str, column: ReportColumn) -> None:
    """Add (or replace) a column of the report called `report` ("completions", "progress" or
    "quiz_results")."""
    _columns[report][column.key] = column


def report_columns(report: str) -> list[ReportColumn]:
    return sorted(_columns[report].values(), key=lambda column: column.order)


def _profile(row):
    return getattr(row.volunteer, "volunteer_profile", None)


def _profile_text(attribute: str) -> Callable[[Any], str]:
    def text(row) -> str:
        profile = _profile(row)
        return str(getattr(profile, attribute, "") or "") if profile is not None else ""

    return text


def _name_th(row) -> str:
    profile = _profile(row)
    if profile is None:
        return ""
    return " ".join(part for part in (profile.given_name_th, profile.family_name_th) if part)


def _name_latin(row) -> str:
    profile = _profile(row)
    if profile is None:
        return ""
    return " ".join(part for part in (profile.given_name_en, profile.family_name_en) if part)


def _organisation(row) -> str:
    profile = _profile(row)
    if profile is None or profile.organization is None:
        return ""
    return profile.organization.name_en or profile.organization.name_th


def _country(row) -> str:
    profile = _profile(row)
    return country_name(profile.country) if profile is not None and profile.country else ""


def _status(row) -> str:
    profile = _profile(row)
    return str(profile.get_status_display()) if profile is not None else ""


def _common_columns(report: str) -> None:
    for order, (key, label, text) in enumerate(
        [
            ("name_th", _("Name (Thai)"), _name_th),
            ("name_latin", _("Name (Latin letters)"), _name_latin),
            ("volunteer_number", _("Volunteer number"), _profile_text("volunteer_number")),
            ("status", _("Status"), _status),
            ("organisation", _("Organisation"), _organisation),
            ("country", _("Country"), _country),
            ("course", _("Course"), lambda row: row.course.title),
        ],
        start=1,
    ):
        register_report_column(report, ReportColumn(key=key, label=label, text=text, order=order * 10))


_common_columns("completions")
_common_columns("progress")
register_report_column(
    "completions",
    ReportColumn(
        key="enrolled_at",
        label=_("Enrolled"),
        text=lambda row: bangkok_time(row.enrolled_at),
        annotate=lambda queryset: queryset.annotate(
            enrolled_at=Subquery(
                Enrollment.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course")).values(
                    "enrolled_at"
                )[:1]
            )
        ),
        order=80,
    ),
)
register_report_column(
    "completions",
    ReportColumn(
        key="completed_at", label=_("Completed"), text=lambda row: bangkok_time(row.completed_at), order=90
    ),
)


def _lesson_count(queryset: QuerySet, required_only: bool) -> Subquery:
    if required_only:
        queryset = queryset.filter(is_required=True)
    return Subquery(
        queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total"),
        output_field=IntegerField(),
    )


def _progress_annotate(queryset: QuerySet) -> QuerySet:
    lessons = LessonPage.objects.filter(live=True, path__startswith=OuterRef("course__path"))
    done = LessonPage.objects.filter(
        live=True,
        path__startswith=OuterRef("course__path"),
        progress__volunteer=OuterRef("volunteer"),
    )
    return queryset.annotate(
        lessons_all=Coalesce(_lesson_count(lessons, False), 0),
        lessons_required=Coalesce(_lesson_count(lessons, True), 0),
        done_all=Coalesce(_lesson_count(done, False), 0),
        done_required=Coalesce(_lesson_count(done, True), 0),
        last_lesson_at=Subquery(
            LessonProgress.objects.filter(
                volunteer=OuterRef("volunteer"), lesson__path__startswith=OuterRef("course__path")
            )
            .order_by()
            .values("volunteer")
            .annotate(last=Max("completed_at"))
            .values("last")
        ),
        completed_at=Subquery(
            CourseCompletion.objects.filter(
                volunteer=OuterRef("volunteer"), course=OuterRef("course")
            ).values("completed_at")[:1]
        ),
    )


def progress_percent(row) -> int:
    """The share of the lessons that count for the course's completion rule, as the volunteer sees it."""
    if row.completed_at is not None:
        return 100
    if row.course.completion_rule == CompletionRule.ALL_LESSONS_AND_QUIZZES:
        done, total = row.done_all, row.lessons_all
    else:
        done, total = row.done_required, row.lessons_required
    if not total:
        return 0
    return min(100, round(100 * done / total))


def last_activity(row) -> datetime.datetime:
    moments = [row.enrolled_at, row.last_lesson_at, row.completed_at]
    return max(moment for moment in moments if moment is not None)


for _key, _label, _text, _order in [
    ("enrolled_at", _("Enrolled"), lambda row: bangkok_time(row.enrolled_at), 80),
    ("percent", _("Done (%)"), lambda row: str(progress_percent(row)), 90),
    ("last_activity", _("Last activity"), lambda row: bangkok_time(last_activity(row)), 100),
    ("completed_at", _("Completed"), lambda row: bangkok_time(row.completed_at), 110),
]:
    register_report_column("progress", ReportColumn(key=_key, label=_label, text=_text, order=_order))


def _quizzes_annotate(queryset: QuerySet) -> QuerySet:
    quizzes = QuizPage.objects.filter(live=True, path__startswith=OuterRef("course__path"))
    passed = QuizPage.objects.filter(
        live=True,
        path__startswith=OuterRef("course__path"),
        results__volunteer=OuterRef("volunteer"),
        results__passed=True,
    )
    return queryset.annotate(
        quizzes_all=Coalesce(_lesson_count(quizzes, False), 0),
        quizzes_passed=Coalesce(_lesson_count(passed, False), 0),
    )


register_report_column(
    "progress",
    ReportColumn(
        key="quizzes_passed",
        label=_("Quizzes passed"),
        text=lambda row: f"{row.quizzes_passed} / {row.quizzes_all}",
        annotate=_quizzes_annotate,
        order=95,
    ),
)


def _score(row) -> str:
    return f"{row.grade.normalize():f}"


def _closed_attempts():
    return QuizAttempt.objects.filter(volunteer=OuterRef("volunteer"), quiz=OuterRef("quiz")).exclude(
        state=QuizAttempt.State.IN_PROGRESS
    )


def _quiz_results_annotate(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        course_title=Subquery(Page.objects.filter(path=OuterRef("course_path")).values("title")[:1]),
        attempts=Coalesce(
            Subquery(
                _closed_attempts().order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total"),
                output_field=IntegerField(),
            ),
            0,
        ),
        last_attempt_at=Subquery(
            _closed_attempts().order_by("-finished_at", "-number").values("finished_at")[:1]
        ),
    )


for _order, (_key, _label, _text) in enumerate(
    [
        ("name_th", _("Name (Thai)"), _name_th),
        ("name_latin", _("Name (Latin letters)"), _name_latin),
        ("volunteer_number", _("Volunteer number"), _profile_text("volunteer_number")),
        ("organisation", _("Organisation"), _organisation),
        ("country", _("Country"), _country),
        ("course", _("Course"), lambda row: row.course_title or ""),
        ("quiz", _("Quiz"), lambda row: row.quiz_title),
        ("score", _("Score that counts (%)"), _score),
        ("attempts", _("Attempts"), lambda row: str(row.attempts)),
        ("passed", _("Passed"), lambda row: str(_("Yes") if row.passed else _("No"))),
        ("last_attempt_at", _("Last attempt"), lambda row: bangkok_time(row.last_attempt_at)),
    ],
    start=1,
):
    register_report_column(
        "quiz_results",
        ReportColumn(
            key=_key,
            label=_label,
            text=_text,
            annotate=_quiz_results_annotate if _key == "course" else None,
            order=_order * 10,
        ),
    )


def _base_queryset(model) -> QuerySet:
    return model.objects.select_related("course", "volunteer__volunteer_profile__organization").filter(
        volunteer__volunteer_profile__isnull=False
    )


def completions_queryset() -> QuerySet[CourseCompletion]:
    """Every course completion with what its columns need, newest first; filtered by the report view."""
    queryset = _base_queryset(CourseCompletion)
    for column in report_columns("completions"):
        if column.annotate is not None:
            queryset = column.annotate(queryset)
    return queryset.order_by("-completed_at", "-pk")


def progress_queryset() -> QuerySet[Enrollment]:
    """Every enrolment with the volunteer's progress in it, newest first; filtered by the report view."""
    queryset = _progress_annotate(_base_queryset(Enrollment))
    for column in report_columns("progress"):
        if column.annotate is not None:
            queryset = column.annotate(queryset)
    return queryset.order_by("-enrolled_at", "-pk")


def quiz_results_queryset() -> QuerySet[QuizResult]:
    """Each volunteer's standing on each quiz (the grade that counts under the quiz's grading
    method), with the quiz's course, newest attempt first; filtered and scoped by the report view."""
    queryset = (
        QuizResult.objects.select_related("volunteer__volunteer_profile__organization")
        .filter(volunteer__volunteer_profile__isnull=False)
        # The quiz's title only: its questions are a large StreamField the report never needs.
        .annotate(course_path=quiz_course_path(), quiz_title=F("quiz__title"))
    )
    for column in report_columns("quiz_results"):
        if column.annotate is not None:
            queryset = column.annotate(queryset)
    return queryset.order_by("-updated_at", "-pk")


def completion_exists(*, volunteer_field: str = "user", course_ids: Iterable[int]) -> Exists:
    """Whether the outer volunteer completed a course among `course_ids` (for the dashboard)."""
    return Exists(
        CourseCompletion.objects.filter(volunteer=OuterRef(volunteer_field), course_id__in=list(course_ids))
    )


def report_rows(queryset: QuerySet, columns: list[ReportColumn]) -> Iterator[list[str]]:
    """The heading row, then each row's cells, read from the database in chunks."""
    yield [str(column.label) for column in columns]
    for row in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [column.text(row) for column in columns]


class _Echo:
    """A file that hands back what is written, so the CSV writer produces one line at a time."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheets open the UTF-8 (Thai) text correctly
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def xlsx_file(rows: Iterable[list[str]], *, title: str):
    """An XLSX workbook in a temporary file, written row by row in openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([neutralise(cell) for cell in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the streamed response closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle
