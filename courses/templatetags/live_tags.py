"""Live sessions on the volunteer's pages: the sessions of their run on a course page (with the
attendance the course asks for), and their next sessions on the dashboard."""

from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import volunteer_upcoming_sessions

register = template.Library()

DASHBOARD_SESSIONS = 5


@register.inclusion_tag("courses/live/course_sessions.html", takes_context=True)
def course_live_sessions(context, outline):
    """The sessions of the reader's run of this course; nothing for a course without runs (whose
    outline has no deadline), so those pages make no query for it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not outline.is_enrolled or outline.deadline is None:
        return {"sessions": []}
    course = outline.source_course
    sessions = list(
        LiveSession.objects.filter(run__enrollments__volunteer=user, run__course=course)
        .annotate(attended=Exists(SessionAttendance.objects.filter(session=OuterRef("pk"), volunteer=user)))
        .order_by("starts", "pk")
    )
    required = course.live_sessions_required
    return {
        "sessions": sessions,
        "now": timezone.now(),
        "required": required,
        "attended": sum(1 for session in sessions if session.attended),
    }


@register.simple_tag
def upcoming_live_sessions(user, outlines):
    """The reader's next sessions (not over yet), soonest first, of the courses in progress among
    `outlines`. Only a course with runs has sessions, and only its outline has a deadline, so a
    dashboard without one makes no query for them."""
    # Runs hang on the source (Thai) course; each session is named with the course the reader reads.
    courses = {
        outline.source_course.pk: outline.course for outline in outlines if outline.deadline is not None
    }
    if user is None or not user.is_authenticated or not courses:
        return []
    now = timezone.now()
    sessions = (
        volunteer_upcoming_sessions(user, now)
        .filter(run__course_id__in=courses)
        .order_by("starts", "pk")[: DASHBOARD_SESSIONS * 2]
    )
    upcoming = [session for session in sessions if session.ends > now][:DASHBOARD_SESSIONS]
    for session in upcoming:
        session.reader_course = courses[session.run.course_id]
    return upcoming
