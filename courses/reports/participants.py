"""A course's participants for its trainers (issue 23): who is enrolled, how far they are, when they
last did something, how their quizzes stand and whether they completed, without contact data.

Trainers and lead trainers open the list of the courses they may edit (`courses_editable_by`),
staff every course, and country coordinators every course with only their countries'
volunteers; for anyone else the course does not exist (404). A course's translations open the
same list: volunteers enrol in the default-language course, whichever language they read it in.

Rows are enrolments read as dictionaries, like the staff reports', with every figure a subquery
of the one enrolment query (a column per quiz of the course), so a page of 25 or of 100 rows, and
an export of any size, costs the same number of queries.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from operator import itemgetter

from django.conf import settings
from django.db.models import Case, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from courses.authoring.models import CompletionRule, CoursePage
from courses.authoring.selectors import courses_editable_by
from courses.quizzes.models import QuizAttempt, QuizPage, QuizResult
from courses.reports import exports as reports
from courses.reports.exports import ReportColumn, Row, register_report_column
from volunteers.coordinators import in_countries

REPORT = "participants"
# The staff reports' permission: staff and country coordinators hold it.
REPORT_PERMISSION = "courses.view_coursecompletion"

STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_COMPLETED = "completed"
STATUS_CHOICES = (
    (STATUS_NOT_STARTED, _("Not started")),
    (STATUS_IN_PROGRESS, pgettext_lazy("learning", "In progress")),
    (STATUS_COMPLETED, _("Completed")),
)


def sees_every_course(user) -> bool:
    """Staff and country coordinators (the reports' permission) see every course's participants."""
    return user.has_perm(REPORT_PERMISSION)


def may_see_participants(user, page: Page) -> bool:
    """Whether `user` may open the participants of the course `page` (in any language): for the
    explorer's buttons, which already hold the page's permissions for the user."""
    return sees_every_course(user) or page.permissions_for_user(user).can_edit()


def participants_course(user, page_id: int) -> CoursePage:
    """The default-language course whose participants `user` asked for by the id of the course or
    one of its translations; a 404 for a page that is not a course or a course outside their scope."""
    page = CoursePage.objects.filter(pk=page_id).only("translation_key").first()
    if page is None:
        raise Http404
    courses = CoursePage.objects.all() if sees_every_course(user) else courses_editable_by(user=user)
    course = courses.filter(
        translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    if course is None:
        raise Http404
    return course


def course_quizzes(course: CoursePage) -> list[QuizPage]:
    """The course's live quizzes in the order of its outline: one results column each."""
    return list(QuizPage.objects.live().descendant_of(course).order_by("path").only("pk", "title"))


# --- Columns -------------------------------------------------------------------------------------


def lessons_done(row: Row) -> tuple[int, int]:
    """(done, total) of the lessons the course's completion rule counts."""
    if row["course__completion_rule"] == CompletionRule.ALL_LESSONS_AND_QUIZZES:
        return row["done_all"], row["lessons_all"]
    return row["done_required"], row["lessons_required"]


def _lessons_text(row: Row) -> str:
    done, total = lessons_done(row)
    return f"{min(done, total)} / {total}"


def _prepare_status() -> Callable[[Row], str]:
    labels = {value: str(label) for value, label in STATUS_CHOICES}
    return lambda row: labels[participant_status(row)]


def participant_status(row: Row) -> str:
    if row["completed_at"] is not None:
        return STATUS_COMPLETED
    return STATUS_IN_PROGRESS if row["last_activity_at"] is not None else STATUS_NOT_STARTED


LESSON_FIELDS = ("course__completion_rule", "done_all", "lessons_all", "done_required", "lessons_required")

for _order, _column in enumerate(
    [
        *(column for column in reports.PERSON_COLUMNS if column.key != "volunteer_number"),
        reports.ORGANISATION_COLUMN,
        reports.COUNTRY_COLUMN,
        ReportColumn(
            key="run", label=_("Run"), text=lambda row: row["run__name"] or "", fields=("run__name",)
        ),
        ReportColumn(
            key="enrolled_at", label=_("Enrolled"), moment=itemgetter("enrolled_at"), fields=("enrolled_at",)
        ),
        ReportColumn(
            key="status",
            label=_("Progress"),
            prepare=_prepare_status,
            fields=("completed_at", "last_activity_at"),
        ),
        ReportColumn(key="lessons", label=_("Lessons done"), text=_lessons_text, fields=LESSON_FIELDS),
        ReportColumn(
            key="percent",
            label=_("Done (%)"),
            text=lambda row: str(reports.progress_percent(row)),
            number=reports.progress_percent,
            fields=reports.PERCENT_FIELDS,
        ),
        ReportColumn(
            key="last_activity",
            label=_("Last activity"),
            moment=itemgetter("last_activity_at"),
            fields=("last_activity_at",),
        ),
        ReportColumn(
            key="completed_at",
            label=_("Completed"),
            moment=itemgetter("completed_at"),
            fields=("completed_at",),
        ),
    ],
    start=1,
):
    # Quiz columns come between "Last activity" (100) and "Completed" (110); the certificate after.
    register_report_column(REPORT, replace(_column, order=_order * 10))


def _prepare_quiz(grade: str, passed: str) -> Callable[[], Callable[[Row], str]]:
    def prepare() -> Callable[[Row], str]:
        yes, no = str(_("Passed")), str(_("Not passed"))

        def text(row: Row) -> str:
            if row[grade] is None:
                return ""
            return f"{row[grade].normalize():f}% · {yes if row[passed] else no}"

        return text

    return prepare


def quiz_column(quiz: QuizPage, order: int) -> ReportColumn:
    """The volunteer's grade that counts on `quiz` and whether it passed; empty before a finished
    attempt. Headed by the quiz's title (data, neutralised in exports like every cell)."""
    grade, passed = f"quiz_{quiz.pk}_grade", f"quiz_{quiz.pk}_passed"
    result = QuizResult.objects.filter(volunteer=OuterRef("volunteer"), quiz_id=quiz.pk)
    return ReportColumn(
        key=f"quiz_{quiz.pk}",
        label=quiz.title,
        prepare=_prepare_quiz(grade, passed),
        fields=(grade, passed),
        annotate=lambda queryset: queryset.annotate(
            **{grade: Subquery(result.values("grade")[:1]), passed: Subquery(result.values("passed")[:1])}
        ),
        order=order,
    )


def participants_columns(course: CoursePage, quizzes: list[QuizPage]) -> list[ReportColumn]:
    """The registered columns with one column per quiz of the course, in the outline's order."""
    columns = reports.report_columns(REPORT)
    quiz_columns = [quiz_column(quiz, 105) for quiz in quizzes]
    return sorted([*columns, *quiz_columns], key=lambda column: column.order)


# --- Rows ----------------------------------------------------------------------------------------


def _last_attempt_at() -> Subquery:
    return Subquery(
        QuizAttempt.objects.filter(
            volunteer=OuterRef("volunteer"), quiz__path__startswith=OuterRef("course__path")
        )
        .order_by()
        .values("volunteer")
        .annotate(last=Max(Coalesce("finished_at", "started_at")))
        .values("last")
    )


def participants_base(course: CoursePage, user) -> QuerySet:
    """The enrolments in `course` of volunteers with a profile, a coordinator's countries only, with
    the figures the filters and orderings read: progress, last activity and the rank of progress."""
    done = "done_all" if course.completion_rule == CompletionRule.ALL_LESSONS_AND_QUIZZES else "done_required"
    queryset = reports.progress_annotate(reports.enrolments_base().filter(course=course))
    lesson, attempt, completed = F("last_lesson_at"), F("last_attempt_at"), F("completed_at")
    queryset = queryset.annotate(last_attempt_at=_last_attempt_at()).annotate(
        # The latest of the three that are set (GREATEST is NULL with any NULL on SQLite): each
        # argument falls back to the others, so it is NULL only when all three are.
        last_activity_at=Greatest(
            Coalesce(lesson, attempt, completed),
            Coalesce(attempt, completed, lesson),
            Coalesce(completed, lesson, attempt),
        ),
        progress_rank=Case(
            When(completed_at__isnull=False, then=Value(1_000_000)),
            default=F(done),
            output_field=IntegerField(),
        ),
    )
    return in_countries(queryset, user, "volunteer__volunteer_profile__country")


def participants_rows(queryset: QuerySet, columns: list[ReportColumn]) -> QuerySet:
    return reports.column_rows(queryset, columns)


def filter_status(queryset: QuerySet, status: str) -> QuerySet:
    if status == STATUS_COMPLETED:
        return queryset.filter(completed_at__isnull=False)
    if status == STATUS_IN_PROGRESS:
        return queryset.filter(completed_at__isnull=True, last_activity_at__isnull=False)
    if status == STATUS_NOT_STARTED:
        return queryset.filter(Q(completed_at__isnull=True) & Q(last_activity_at__isnull=True))
    return queryset


NAME_ORDER = (*reports.NAME_TH, *reports.NAME_LATIN)
ORDERINGS = {
    "name": [F(field).asc(nulls_last=True) for field in NAME_ORDER],
    "-name": [F(field).desc(nulls_last=True) for field in NAME_ORDER],
    "progress": [F("progress_rank").asc(), *NAME_ORDER],
    "-progress": [F("progress_rank").desc(), *NAME_ORDER],
    "last_activity": [F("last_activity_at").asc(nulls_first=True), *NAME_ORDER],
    "-last_activity": [F("last_activity_at").desc(nulls_last=True), *NAME_ORDER],
}


def order_participants(queryset: QuerySet, ordering: str) -> QuerySet:
    """`queryset` in one of ORDERINGS' orders (by name when unknown), the enrolment last to keep
    pages stable."""
    return queryset.order_by(*ORDERINGS.get(ordering, ORDERINGS["name"]), "pk")


def export_filename_part(title: str) -> str:
    """`title` made safe for a file name, Thai kept whole: letters, digits and the marks that Thai
    vowels and tones are (which `slugify` would drop) stay; anything else becomes one hyphen."""
    kept = "".join(char if unicodedata.category(char)[0] in "LMN" else "-" for char in title)
    return "-".join(part for part in kept.split("-") if part)[:60] or "course"
