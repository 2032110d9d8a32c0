"""Read paths for learning: a course's prerequisites still to complete, the learning dashboard, a
volunteer's progress in every course, the runs a course page offers, and the runs a trainer or
staff member keeps in the admin.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.authoring.page_mixins import view_restriction_exists
from courses.authoring.selectors import CourseLink, courses_editable_by
from courses.authoring.structure import COURSE_FIELDS
from courses.learning.models import CourseCompletion, CourseRun, RunWaitlistEntry
from courses.learning.outlines import CourseOutline, build_outlines, with_learning_state

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


@dataclass
class Dashboard:
    in_progress: list[CourseOutline]
    completed: list[CourseOutline]
    available: list[CoursePage]


def _waiting_kept(shown: CoursePage, source: CoursePage) -> CoursePage:
    shown.waiting_run = source.waiting_run
    return shown


def learning_dashboard(*, user: Any, language_code: str, request: HttpRequest | None = None) -> Dashboard:
    """A volunteer's courses in progress and completed, and the courses they can start next.

    Courses are shown in the reader's language when translated. Costs the same queries for one
    enrolment or twenty.
    """
    default_language = settings.LANGUAGE_CODE
    courses = list(
        with_learning_state(
            CoursePage.objects.filter(locale__language_code=default_language, live=True),
            user,
        )
        .annotate(
            restricted=view_restriction_exists(),
            # The run whose waiting list the reader is on (a subquery: no query of its own).
            waiting_run=Subquery(
                RunWaitlistEntry.objects.filter(volunteer=user, run__course=OuterRef("pk"))
                .order_by("created_at", "pk")
                .values("run__name")[:1]
            ),
        )
        .prefetch_related("prerequisites")
        .only(*COURSE_FIELDS, "summary")
        .order_by("path")
    )
    courses = [course for course in courses if not course.restricted]
    enrolled = sorted(
        (course for course in courses if course.enrolled_at is not None),
        key=lambda course: course.enrolled_at,
        reverse=True,
    )
    completed_ids = {course.pk for course in courses if course.completed_at is not None}
    available = [
        course
        for course in courses
        if course.enrolled_at is None
        and all(prerequisite.pk in completed_ids for prerequisite in course.prerequisites.all())
    ]
    shown: dict[int, CoursePage] = {}
    if language_code != default_language:
        keys = [course.translation_key for course in enrolled + available]
        translations = {
            page.translation_key: page
            for page in CoursePage.objects.filter(
                translation_key__in=keys, locale__language_code=language_code, live=True
            ).only(*COURSE_FIELDS, "summary")
        }
        shown = {
            course.pk: translations[course.translation_key]
            for course in enrolled
            if course.translation_key in translations
        }
        available = [
            _waiting_kept(translations.get(course.translation_key, course), course) for course in available
        ]
    version = courses[0].content_version if courses else None
    outlines = build_outlines(sources=enrolled, shown=shown, user=user, request=request, version=version)
    ordered = [outlines[course.pk] for course in enrolled]
    return Dashboard(
        in_progress=[outline for outline in ordered if not outline.is_completed],
        completed=sorted(
            (outline for outline in ordered if outline.is_completed),
            key=lambda outline: outline.completed_at,
            reverse=True,
        ),
        available=available,
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
