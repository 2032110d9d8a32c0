"""Background work of courses: telling a volunteer that staff enrolled them in a course.

Tasks receive ids only, so no address or name is stored in a task queue.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def enrolment_email_send(*, enrollment_id: int) -> None:
    """Email the volunteer a link to the course staff enrolled them in, in their preferred language."""
    from courses.authoring.models import CoursePage
    from courses.learning.models import Enrollment

    enrolment = (
        Enrollment.objects.filter(pk=enrollment_id, volunteer__is_active=True)
        .select_related("volunteer", "course")
        .first()
    )
    if enrolment is None:
        return
    profile = getattr(enrolment.volunteer, "volunteer_profile", None)
    language = getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
    course = enrolment.course
    if language != settings.LANGUAGE_CODE:
        translated = CoursePage.objects.filter(
            translation_key=course.translation_key, locale__language_code=language, live=True
        ).first()
        course = translated or course
    with translation.override(language):
        context = {
            "course_title": course.title,
            "link": settings.SITE_URL + course.url,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("courses/email/enrolment_subject.txt", context).strip()
        body = render_to_string("courses/email/enrolment.txt", context)
    send_mail(subject, body, None, [enrolment.volunteer.email])
