"""Course runs on the volunteer's pages: the runs a course page offers for enrolment (with the
seats left or the waiting list), and an enrolment's deadline with the days left, in the reader's
calendar and time zone."""

from django import template
from django.utils import timezone

from courses.learning.models import RunWaitlistEntry
from courses.learning.selectors import course_runs_offered
from training.dates import local_date

register = template.Library()


@register.inclusion_tag("courses/course_runs.html", takes_context=True)
def course_runs(context, outline):
    """The enrol form: one button per open run when the course has runs, else the plain one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    course = outline.source_course
    has_runs, offers = course_runs_offered(course=course, user=user)
    signed_in = bool(user is not None and user.is_authenticated)
    waiting = (
        set(
            RunWaitlistEntry.objects.filter(
                volunteer=user, run__in=[offer.run for offer in offers]
            ).values_list("run_id", flat=True)
        )
        if signed_in and offers
        else set()
    )
    return {
        "waiting": waiting,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "outline": outline,
        "has_runs": has_runs,
        "offers": offers,
        "signed_in": signed_in,
    }


@register.inclusion_tag("courses/run_deadline.html")
def run_deadline(outline):
    """The deadline of the reader's enrolment and the days left (nothing for a course without runs);
    the outline carries them, read with the reader's enrolment."""
    return {
        "deadline": outline.deadline,
        "run_name": outline.run_name,
        "days_left": days_left(outline.deadline),
    }


@register.filter
def days_left(deadline) -> int | None:
    """Whole days from today to the deadline's day, both in the reader's zone (0: today; negative: past)."""
    if deadline is None:
        return None
    return (local_date(deadline) - local_date(timezone.now())).days
