"""Staff reports on learning: course completions, progress and quiz results, their columns and exports.

Columns are a small registry, so apps that depend on `courses` (certificates adds the serial and
status of the certificate a completion earned) add their own from `AppConfig.ready()` without
`courses` importing them. Screen and export read every cell through the same column, so the two
always agree, but for moments: people read them on screen as `training.dates` writes them, and
exports keep Bangkok wall time in ISO order for machines. Exports stream from a chunked queryset
and never hold the whole report in memory.

A row is a plain dictionary from `QuerySet.values()` (the fields every column names), not a model
instance: an export of 100,000 rows builds no models, and a column translates its fixed words
(statuses, yes and no, country names) once per report in `ReportColumn.prepare`, not once per row.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, F, Func, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.authoring.models import CompletionRule, LessonPage
from courses.authoring.selectors import quiz_course_path
from courses.learning.models import CourseCompletion, Enrollment, LessonProgress
from courses.learning.outlines import share_percent
from courses.live.models import SessionAttendance
from courses.quizzes.models import QuizAttempt, QuizPage, QuizResult
from training.dates import format_datetime, issuer_zone
from volunteers.countries import country_name
from volunteers.models import VolunteerProfile

EXPORT_CHUNK_SIZE = 2000


def bangkok_wall_time(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment as Asia/Bangkok wall time, to the minute, without a zone (as an XLSX date)."""
    if moment is None:
        return None
    wall = moment.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).replace(tzinfo=None)
    return wall.replace(second=0, microsecond=0)


def bangkok_time(moment: datetime.datetime | None) -> str:
    """A moment as staff read it: Asia/Bangkok wall time, to the minute."""
    wall = bangkok_wall_time(moment)
    return "" if wall is None else wall.strftime("%Y-%m-%d %H:%M")


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


Row = dict[str, Any]


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report: its heading, its text for a row, and what the queryset needs for it.

    `fields` are the names the row must hold (model fields, lookups such as "course__title", or
    names that `annotate` adds); `text` reads them from the row. A column whose text depends on
    translations gives `prepare` instead: called once per report in the active language, it
    returns the function that makes each row's text.
    """

    key: str
    label: Any
    text: Callable[[Row], str] | None = None
    fields: tuple[str, ...] = ()
    annotate: Callable[[QuerySet], QuerySet] | None = None
    order: int = 100
    prepare: Callable[[], Callable[[Row], str]] | None = None
    # A column of moments gives the moment instead of `text`: exports write it for machines
    # (Bangkok wall time, ISO order), the screen for people (BE in Thai, the zone named).
    moment: Callable[[Row], datetime.datetime | None] | None = None
    # A column of numbers also gives the number, which XLSX stores as a number.
    number: Callable[[Row], int | Decimal] | None = None

    def cell(self) -> Callable[[Row], str]:
        """The function that makes a row's text, with any translation already looked up."""
        if self.moment is not None:
            moment = self.moment
            return lambda row: bangkok_time(moment(row))
        return self.prepare() if self.prepare is not None else self.text

    def typed_cell(self) -> Callable[[Row], Any]:
        """The function that makes a row's value for XLSX: a moment as a Bangkok date, a number
        as a number, anything else as its text."""
        if self.moment is not None:
            moment = self.moment
            return lambda row: bangkok_wall_time(moment(row))
        if self.number is not None:
            return self.number
        return self.cell()

    def screen_cell(self) -> Callable[[Row], str]:
        """The function that makes a row's text on screen, in the active language."""
        if self.moment is not None:
            moment, zone = self.moment, issuer_zone()
            return lambda row: format_datetime(moment(row), short=True, zone=zone)
        return self.cell()


_columns: dict[str, dict[str, ReportColumn]] = {
    "completions": {},
    "progress": {},
    "quiz_results": {},
    "participants": {},
}


def register_report_column(report: str, column: ReportColumn) -> None:
    """Add (or replace) a column of the report called `report` ("completions", "progress",
    "quiz_results" or "participants", a course's participants for its trainers)."""
    _columns[report][column.key] = column


def report_columns(report: str) -> list[ReportColumn]:
    return sorted(_columns[report].values(), key=lambda column: column.order)


PROFILE = "volunteer__volunteer_profile__"
PROFILE_ID = PROFILE + "id"
NAME_TH = (PROFILE + "given_name_th", PROFILE + "family_name_th")
NAME_LATIN = (PROFILE + "given_name_en", PROFILE + "family_name_en")
ORGANISATION = (PROFILE + "organization__name_en", PROFILE + "organization__name_th")


def _joined(fields: tuple[str, ...]) -> Callable[[Row], str]:
    def text(row: Row) -> str:
        return " ".join(row[field] for field in fields if row[field])

    return text


def _field_text(field: str) -> Callable[[Row], str]:
    def text(row: Row) -> str:
        value = row[field]
        return "" if value is None else str(value)

    return text


def _organisation(row: Row) -> str:
    return row[ORGANISATION[0]] or row[ORGANISATION[1]] or ""


def _prepare_country() -> Callable[[Row], str]:
    names: dict[str, str] = {}

    def text(row: Row) -> str:
        code = row[PROFILE + "country"]
        if not code:
            return ""
        if code not in names:
            names[code] = country_name(code)
        return names[code]

    return text


def _prepare_status() -> Callable[[Row], str]:
    labels = {value: str(label) for value, label in VolunteerProfile.Status.choices}

    def text(row: Row) -> str:
        value = row[PROFILE + "status"]
        return labels.get(value, value or "")

    return text


PERSON_COLUMNS = [
    ReportColumn(key="name_th", label=_("Name (Thai)"), text=_joined(NAME_TH), fields=NAME_TH),
    ReportColumn(
        key="name_latin", label=_("Name (Latin letters)"), text=_joined(NAME_LATIN), fields=NAME_LATIN
    ),
    ReportColumn(
        key="volunteer_number",
        label=_("Volunteer number"),
        text=_field_text(PROFILE + "volunteer_number"),
        fields=(PROFILE + "volunteer_number",),
    ),
]
ORGANISATION_COLUMN = ReportColumn(
    key="organisation", label=_("Organisation"), text=_organisation, fields=ORGANISATION
)
COUNTRY_COLUMN = ReportColumn(
    key="country", label=_("Country"), prepare=_prepare_country, fields=(PROFILE + "country",)
)


def _common_columns(report: str) -> None:
    for order, column in enumerate(
        [
            *PERSON_COLUMNS,
            ReportColumn(
                key="status", label=_("Status"), prepare=_prepare_status, fields=(PROFILE + "status",)
            ),
            ORGANISATION_COLUMN,
            COUNTRY_COLUMN,
            ReportColumn(
                key="course", label=_("Course"), text=_field_text("course__title"), fields=("course__title",)
            ),
        ],
        start=1,
    ):
        register_report_column(report, replace(column, order=order * 10))


_common_columns("completions")
_common_columns("progress")
# The run (edition) of the course, right after the course; empty for a course without runs.
for _report in ("completions", "progress"):
    register_report_column(
        _report,
        ReportColumn(
            key="run", label=_("Run"), text=_field_text("run__name"), fields=("run__name",), order=75
        ),
    )
register_report_column(
    "completions",
    ReportColumn(
        key="enrolled_at",
        label=_("Enrolled"),
        moment=itemgetter("enrolled_at"),
        fields=("enrolled_at",),
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
        key="completed_at",
        label=_("Completed"),
        moment=itemgetter("completed_at"),
        fields=("completed_at",),
        order=90,
    ),
)


def _lesson_count(queryset: QuerySet, required_only: bool) -> Subquery:
    if required_only:
        queryset = queryset.filter(is_required=True)
    return Subquery(
        queryset.order_by().annotate(total=Func(F("pk"), function="COUNT")).values("total"),
        output_field=IntegerField(),
    )


def progress_annotate(queryset: QuerySet) -> QuerySet:
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
        completed_at=enrolment_completed_at(),
    )


def enrolment_completed_at() -> Subquery:
    """When the outer enrolment's volunteer completed its course (None while in progress): the
    progress report's "Completed" and the charts' completion rates read the same."""
    return Subquery(
        CourseCompletion.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course")).values(
            "completed_at"
        )[:1]
    )


PERCENT_FIELDS = (
    "completed_at",
    "course__completion_rule",
    "done_all",
    "lessons_all",
    "done_required",
    "lessons_required",
)


def progress_percent(row: Row) -> int:
    """The share of the lessons that count for the course's completion rule, as the volunteer sees it."""
    if row["completed_at"] is not None:
        return 100
    if row["course__completion_rule"] == CompletionRule.ALL_LESSONS_AND_QUIZZES:
        done, total = row["done_all"], row["lessons_all"]
    else:
        done, total = row["done_required"], row["lessons_required"]
    return min(100, share_percent(done, total))


ACTIVITY_FIELDS = ("enrolled_at", "last_lesson_at", "completed_at")


def last_activity(row: Row) -> datetime.datetime:
    return max(row[field] for field in ACTIVITY_FIELDS if row[field] is not None)


for _column in [
    ReportColumn(
        key="enrolled_at",
        label=_("Enrolled"),
        moment=itemgetter("enrolled_at"),
        fields=("enrolled_at",),
        order=80,
    ),
    ReportColumn(
        key="percent",
        label=_("Done (%)"),
        text=lambda row: str(progress_percent(row)),
        number=progress_percent,
        fields=PERCENT_FIELDS,
        order=90,
    ),
    ReportColumn(
        key="last_activity", label=_("Last activity"), moment=last_activity, fields=ACTIVITY_FIELDS, order=100
    ),
    ReportColumn(
        key="completed_at",
        label=_("Completed"),
        moment=itemgetter("completed_at"),
        fields=("completed_at",),
        order=110,
    ),
]:
    register_report_column("progress", _column)


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
        text=lambda row: f"{row['quizzes_passed']} / {row['quizzes_all']}",
        fields=("quizzes_passed", "quizzes_all"),
        annotate=_quizzes_annotate,
        order=95,
    ),
)


def _live_sessions_annotate(queryset: QuerySet) -> QuerySet:
    attended = (
        SessionAttendance.objects.filter(
            volunteer=OuterRef("volunteer"), session__run__course=OuterRef("course")
        )
        .order_by()
        .values("volunteer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(
        live_sessions_attended=Coalesce(Subquery(attended, output_field=IntegerField()), 0)
    )


def _live_sessions_text(row: Row) -> str:
    required = row["course__live_sessions_required"]
    return f"{row['live_sessions_attended']} / {required}" if required else ""


# Sessions attended of those the course asks for; empty for a course that asks for none.
register_report_column(
    "progress",
    ReportColumn(
        key="live_sessions",
        label=_("Live sessions attended"),
        text=_live_sessions_text,
        fields=("live_sessions_attended", "course__live_sessions_required"),
        annotate=_live_sessions_annotate,
        order=96,
    ),
)


def _score(row: Row) -> str:
    return f"{row['grade'].normalize():f}"


def _prepare_passed() -> Callable[[Row], str]:
    yes, no = str(_("Yes")), str(_("No"))
    return lambda row: yes if row["passed"] else no


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


for _order, _column in enumerate(
    [
        *PERSON_COLUMNS,
        ORGANISATION_COLUMN,
        COUNTRY_COLUMN,
        ReportColumn(
            key="course",
            label=_("Course"),
            text=_field_text("course_title"),
            fields=("course_title",),
            annotate=_quiz_results_annotate,
        ),
        ReportColumn(key="quiz", label=_("Quiz"), text=_field_text("quiz_title"), fields=("quiz_title",)),
        ReportColumn(
            key="score",
            label=_("Score that counts (%)"),
            text=_score,
            number=itemgetter("grade"),
            fields=("grade",),
        ),
        ReportColumn(
            key="attempts",
            label=_("Attempts"),
            text=_field_text("attempts"),
            number=itemgetter("attempts"),
            fields=("attempts",),
        ),
        ReportColumn(key="passed", label=_("Passed"), prepare=_prepare_passed, fields=("passed",)),
        ReportColumn(
            key="last_attempt_at",
            label=_("Last attempt"),
            moment=itemgetter("last_attempt_at"),
            fields=("last_attempt_at",),
        ),
    ],
    start=1,
):
    register_report_column("quiz_results", replace(_column, order=_order * 10))


def _base_queryset(model) -> QuerySet:
    return model.objects.filter(volunteer__volunteer_profile__isnull=False)


def _rows(queryset: QuerySet, report: str) -> QuerySet:
    return column_rows(queryset, report_columns(report))


def column_rows(queryset: QuerySet, columns: list[ReportColumn]) -> QuerySet:
    """The queryset with each column's annotations, reading rows as dictionaries of the fields the
    columns name (and the volunteer's record, for the link on screen)."""
    for column in columns:
        if column.annotate is not None:
            queryset = column.annotate(queryset)
    fields = dict.fromkeys([PROFILE_ID, *(field for column in columns for field in column.fields)])
    return queryset.values(*fields)


def completions_base() -> QuerySet[CourseCompletion]:
    """The completions the completions report lists, before its columns: the charts count these
    through the report's filters, so a chart and its report cannot disagree."""
    return _base_queryset(CourseCompletion)


def enrolments_base() -> QuerySet[Enrollment]:
    """The enrolments the progress report lists, before its columns (see `completions_base`)."""
    return _base_queryset(Enrollment)


def quiz_results_base() -> QuerySet[QuizResult]:
    """The quiz results the quiz results report lists, with the quiz's course path its course
    filter reads, before its columns (see `completions_base`)."""
    return _base_queryset(QuizResult).annotate(course_path=quiz_course_path())


def completions_queryset() -> QuerySet[CourseCompletion]:
    """Every course completion with what its columns need, newest first; filtered by the report view."""
    return _rows(completions_base(), "completions").order_by("-completed_at", "-pk")


def progress_queryset() -> QuerySet[Enrollment]:
    """Every enrolment with the volunteer's progress in it, newest first; filtered by the report view."""
    return _rows(progress_annotate(enrolments_base()), "progress").order_by("-enrolled_at", "-pk")


def quiz_results_queryset() -> QuerySet[QuizResult]:
    """Each volunteer's standing on each quiz (the grade that counts under the quiz's grading
    method), with the quiz's course, newest attempt first; filtered and scoped by the report view."""
    queryset = quiz_results_base().annotate(quiz_title=F("quiz__title"))
    return _rows(queryset, "quiz_results").order_by("-updated_at", "-pk")


def completion_exists(*, volunteer_field: str = "user", course_ids: Iterable[int]) -> Exists:
    """Whether the outer volunteer completed a course among `course_ids` (for the dashboard)."""
    return Exists(
        CourseCompletion.objects.filter(volunteer=OuterRef(volunteer_field), course_id__in=list(course_ids))
    )


def report_rows(queryset: QuerySet, columns: list[ReportColumn], *, typed: bool = False) -> Iterator[list]:
    """The heading row, then each row's cells, read from the database in chunks: text for CSV, or
    typed values for XLSX (`typed`)."""
    yield [str(column.label) for column in columns]
    cells = [column.typed_cell() if typed else column.cell() for column in columns]
    for row in queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [cell(row) for cell in cells]
