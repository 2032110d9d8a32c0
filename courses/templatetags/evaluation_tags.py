"""The call to fill in a course's evaluation, on the course page and the dashboard: shown to an
enrolled reader who has met the completion rule of a course that asks for one and has not given it."""

from django import template

from courses.evaluations.selectors import evaluation_done, evaluation_form_for

register = template.Library()


@register.inclusion_tag("courses/evaluation_call.html", takes_context=True)
def evaluation_call(context, outline):
    request = context.get("request")
    user = getattr(request, "user", None)
    course = outline.source_course
    due = bool(
        user is not None
        and user.is_authenticated
        and course.pk
        and outline.is_enrolled
        and not outline.is_completed
        and outline.requirements_met
        and evaluation_form_for(course) is not None
        and not evaluation_done(volunteer=user, course=course)
    )
    return {"due": due, "course_id": course.pk, "title": outline.course.title}
