"""Reads for live sessions: which sessions a volunteer is in, who may see and manage a session, and
how many sessions of a course a volunteer attended."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.authoring.selectors import default_locale_page
from courses.learning.models import CourseRun, Enrollment
from courses.learning.selectors import runs_kept_by
from courses.live.models import LiveSession, SessionAttendance

MANAGE_PERMISSION = "courses.change_livesession"
MANAGE_ALL_PERMISSION = "courses.manage_all_livesessions"
# The calendar feed and the dashboard list sessions from this long ago onwards.
PAST_SESSIONS_SHOWN = timedelta(days=90)


def volunteer_sessions(user: Any) -> QuerySet[LiveSession]:
    """The sessions of the runs `user` is enrolled in (one run per course), earliest first."""
    runs = Enrollment.objects.filter(volunteer=user, run__isnull=False).values("run")
    return LiveSession.objects.filter(run__in=runs).select_related("run", "run__course")


def volunteer_upcoming_sessions(user: Any, now=None) -> QuerySet[LiveSession]:
    """Sessions not yet over (an hour-long session is listed until it ends)."""
    now = now or timezone.now()
    # `ends` is not a column: a session lasts at most 600 minutes, so this keeps every one not over,
    # and the view drops the few already over.
    return volunteer_sessions(user).filter(starts__gt=now - timedelta(minutes=600))


def session_is_for(user: Any, session: LiveSession) -> bool:
    """Whether `user` is enrolled in the session's run (and so sees its page and, in time, its link)."""
    if user is None or not user.is_authenticated:
        return False
    return Enrollment.objects.filter(volunteer=user, run_id=session.run_id).exists()


def runs_for_sessions_of(user: Any) -> QuerySet[CourseRun]:
    """The runs whose sessions `user` keeps: as for the runs themselves (courses.learning.selectors.
    runs_kept_by), under the session rights: of the courses they may edit (trainers, under Wagtail's
    page permissions), or every run (staff and superusers)."""
    return runs_kept_by(user, permission=MANAGE_PERMISSION, all_permission=MANAGE_ALL_PERMISSION)


def sessions_managed_by(user: Any) -> QuerySet[LiveSession]:
    """The sessions `user` may edit and record attendance for: the sessions of the runs they keep
    sessions of (`runs_for_sessions_of`)."""
    return LiveSession.objects.select_related("run", "run__course").filter(run__in=runs_for_sessions_of(user))


def may_manage_session(user: Any, session: LiveSession) -> bool:
    return sessions_managed_by(user).filter(pk=session.pk).exists()


def sessions_attended(*, volunteer: Any, course: CoursePage) -> int:
    """Sessions of any run of `course` the volunteer attended: attendance in an earlier run counts
    after a move to a later run, as lessons done do."""
    return SessionAttendance.objects.filter(volunteer=volunteer, session__run__course=course).count()


def attendance_progress(volunteer: Any, course: CoursePage) -> tuple[int, int]:
    """(sessions attended, sessions the course requires) for the course page's progress, in any
    language of the course; the required number is 0 when the course does not ask for attendance."""
    course = default_locale_page(course)
    required = course.live_sessions_required or 0
    if not required or volunteer is None or not volunteer.is_authenticated:
        return 0, required
    return sessions_attended(volunteer=volunteer, course=course), required
