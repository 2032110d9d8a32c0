"""Read paths for learning: a course's prerequisites still to complete, the learning dashboard, a
volunteer's progress in every course, the runs a course page offers, and the runs a trainer or
staff member keeps in the admin.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, QuerySet, Value
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.authoring.page_mixins import view_restriction_exists
from courses.authoring.selectors import CourseLink, courses_editable_by
from courses.authoring.structure import COURSE_FIELDS
from courses.learning.models import CourseCompletion, CourseRun, Enrollment, RunWaitlistEntry
from courses.learning.outlines import CourseOutline, build_outlines, reader_state, with_learning_state
from training.content_version import content_cache, request_version
from training.precompiled import STAND_IN_INT, Precompiled

if TYPE_CHECKING:
    from django.http import HttpRequest


def prerequisites_not_completed(
    *, user: Any, prerequisites: tuple[CourseLink, ...]
) -> tuple[CourseLink, ...]:
    """The prerequisites `user` has not completed (in any language), in their order: all of them for
    a visitor not signed in. One query, and none when the course has no prerequisites."""
    if not prerequisites or user is None or not user.is_authenticated:
        return tuple(prerequisites)
    completed = {
        str(key)
        for key in CourseCompletion.objects.filter(
            volunteer=user, course__translation_key__in=[link.translation_key for link in prerequisites]
        ).values_list("course__translation_key", flat=True)
    }
    return tuple(link for link in prerequisites if link.translation_key not in completed)


# --- The learning dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class AvailableCourse:
    """A course the reader can start, as their language shows it, and the name of the run whose
    waiting list they are on (None when none)."""

    course: CoursePage
    waiting_run: str | None = None


@dataclass
class Dashboard:
    in_progress: list[CourseOutline]
    completed: list[CourseOutline]
    available: list[AvailableCourse]


def _catalog(version: str | None) -> tuple[tuple[CoursePage, frozenset[int]], ...]:
    """The live default-locale courses no view restriction hides, in tree order, each with its
    prerequisites' ids: the same for every reader, kept per content version."""

    def build() -> tuple[tuple[CoursePage, frozenset[int]], ...]:
        courses = (
            CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, live=True)
            .annotate(restricted=view_restriction_exists())
            .prefetch_related("prerequisites")
            .only(*COURSE_FIELDS, "summary")
            .order_by("path")
        )
        return tuple(
            (course, frozenset(prerequisite.pk for prerequisite in course.prerequisites.all()))
            for course in courses
            if not course.restricted
        )

    return content_cache.get_or_build(version, ("dashboard catalog",), build)


def _translations(version: str | None, language_code: str) -> dict[Any, CoursePage]:
    """The live courses in `language_code` by translation key, kept per content version."""

    def build() -> dict[Any, CoursePage]:
        pages = CoursePage.objects.filter(locale__language_code=language_code, live=True)
        return {page.translation_key: page for page in pages.only(*COURSE_FIELDS, "summary")}

    return content_cache.get_or_build(version, ("dashboard translations", language_code), build)


# The reader's enrolments' runs and the runs whose waiting list they are on (the first they joined,
# per course): one query, compiled once per process.
_runs_of_reader = Precompiled(
    lambda user_id: (
        Enrollment.objects.filter(volunteer_id=user_id, run__isnull=False)
        .annotate(kind=Value("run"))
        .values_list("kind", "course_id", "pk", "run__name", "enrolled_at")
        .order_by()
        .union(
            RunWaitlistEntry.objects.filter(volunteer_id=user_id)
            .annotate(kind=Value("waiting"))
            .values_list("kind", "run__course_id", "pk", "run__name", "created_at")
            .order_by(),
            all=True,
        )
    ),
    STAND_IN_INT,
)


def learning_dashboard(*, user: Any, language_code: str, request: HttpRequest | None = None) -> Dashboard:
    """A volunteer's courses in progress and completed, and the courses they can start next.

    Courses are shown in the reader's language when translated. The courses, their prerequisites
    and translations are kept per content version; the reader's enrolments, completions, runs and
    waiting lists take two queries and their progress one, for one enrolment or twenty.
    """
    version = request_version(request)
    catalog = _catalog(version)
    state = reader_state(user=user, course_ids=[course.pk for course, _prerequisites in catalog])
    runs: dict[int, str] = {}
    enrolment_ids: dict[int, int] = {}
    waiting: dict[int, tuple[Any, int, str]] = {}
    for kind, course_id, pk, name, at in _runs_of_reader.rows(user.pk):
        if kind == "run":
            runs[course_id], enrolment_ids[course_id] = name, pk
        elif course_id not in waiting or (at, pk) < waiting[course_id][:2]:
            waiting[course_id] = (at, pk, name)  # the waiting list joined first
    # The courses are kept for every reader: only the reader's own get a copy with their state.
    enrolled = []
    for course, _prerequisites in catalog:
        if course.pk in state.enrolled_at:
            course = copy.copy(course)
            course.enrolled_at = state.enrolled_at[course.pk]
            course.completed_at = state.completed_at.get(course.pk)
            course.deadline = state.deadline.get(course.pk)
            course.run_name = runs.get(course.pk, "")
            course.enrolment_id = enrolment_ids.get(course.pk)
            enrolled.append(course)
    enrolled.sort(key=lambda course: course.enrolled_at, reverse=True)
    completed_ids = set(state.completed_at)
    available = [
        course
        for course, prerequisites in catalog
        if course.pk not in state.enrolled_at and prerequisites <= completed_ids
    ]
    shown: dict[int, CoursePage] = {}
    translations: dict[Any, CoursePage] = {}
    if language_code != settings.LANGUAGE_CODE:
        translations = _translations(version, language_code)
        shown = {
            course.pk: translations[course.translation_key]
            for course in enrolled
            if course.translation_key in translations
        }
    outlines = build_outlines(sources=enrolled, shown=shown, user=user, request=request, version=version)
    ordered = [outlines[course.pk] for course in enrolled]
    return Dashboard(
        in_progress=[outline for outline in ordered if not outline.is_completed],
        completed=sorted(
            (outline for outline in ordered if outline.is_completed),
            key=lambda outline: outline.completed_at,
            reverse=True,
        ),
        available=[
            AvailableCourse(
                course=translations.get(course.translation_key, course),
                waiting_run=waiting[course.pk][2] if course.pk in waiting else None,
            )
            for course in available
        ],
    )


def volunteer_course_progress(*, user: Any) -> list[CourseOutline]:
    """Every course a person is enrolled in with their progress, for the staff record view."""
    courses = list(
        with_learning_state(CoursePage.objects.filter(enrollments__volunteer=user), user)
        .order_by("enrollments__enrolled_at")
        .only(*COURSE_FIELDS)
    )
    version = courses[0].content_version if courses else None
    outlines = build_outlines(sources=courses, shown={}, user=user, request=None, version=version)
    return [outlines[course.pk] for course in courses]


@dataclass
class RunOffer:
    """A run of a course as the course page offers it: open now, with its seats left."""

    run: CourseRun
    seats_left: int | None  # None: no limit
    admits: bool

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def course_runs_offered(
    *, course: CoursePage, user: Any, now: datetime.datetime | None = None
) -> tuple[bool, list[RunOffer]]:
    """Whether the course has runs, and those open for enrolment now with their seats left and
    whether the reader may enrol in each (its country and organisation). Runs meant for others are
    left out for signed-in readers; a visitor sees them all. One query."""
    now = now or timezone.now()
    runs = list(
        CourseRun.objects.filter(course=course)
        .select_related("organization")
        .annotate(taken=Count("enrollments"))
        .order_by("starts", "pk")
    )
    signed_in = user is not None and user.is_authenticated
    offers = []
    for run in runs:
        if not run.is_open_for_enrolment(now):
            continue
        admits = run.admits(user) if signed_in else True
        if signed_in and not admits:
            continue
        left = None if run.seats is None else max(0, run.seats - run.taken)
        offers.append(RunOffer(run=run, seats_left=left, admits=admits))
    return bool(runs), offers


# --- Who keeps which runs in the admin ---------------------------------------------------------

RUN_MANAGE_PERMISSION = "courses.change_courserun"
RUN_MANAGE_ALL_PERMISSION = "courses.manage_all_courseruns"


def courses_kept_by(user: Any, *, permission: str, all_permission: str) -> QuerySet[CoursePage]:
    """The (default-locale) courses whose records `user` keeps under a pair of rights: every course
    with `all_permission` (staff, superusers), the courses they may edit under Wagtail's page
    permissions with `permission` (trainers), else none."""
    courses = CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
    if user is None or not user.is_authenticated or not user.is_active:
        return courses.none()
    if user.has_perm(all_permission):
        return courses
    if user.has_perm(permission):
        return courses_editable_by(user=user)
    return courses.none()


def runs_kept_by(user: Any, *, permission: str, all_permission: str) -> QuerySet[CourseRun]:
    """The runs of the courses `user` keeps under a pair of rights (see `courses_kept_by`)."""
    if user is not None and user.is_active and user.has_perm(all_permission):
        return CourseRun.objects.all()
    return CourseRun.objects.filter(
        course__in=courses_kept_by(user, permission=permission, all_permission=all_permission)
    )


def courses_for_runs(user: Any) -> QuerySet[CoursePage]:
    """The courses `user` may create and keep runs of."""
    return courses_kept_by(user, permission=RUN_MANAGE_PERMISSION, all_permission=RUN_MANAGE_ALL_PERMISSION)


def runs_managed_by(user: Any) -> QuerySet[CourseRun]:
    """The runs `user` may see, edit, copy and delete in the admin: every run for superusers and
    holders of `courses.manage_all_courseruns` (staff), the runs of the courses they may edit for
    trainers (who hold `courses.change_courserun`), else none."""
    return runs_kept_by(user, permission=RUN_MANAGE_PERMISSION, all_permission=RUN_MANAGE_ALL_PERMISSION)
