"""The notifications of learning (training.notices): enrolled by staff, course completed."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from training.notices import VOLUNTEER, NoticeKind, kind_register, notify

COURSE_ENROLLED = "course_enrolled"
COURSE_COMPLETED = "course_completed"


def register() -> None:
    kind_register(
        NoticeKind(
            name=COURSE_ENROLLED,
            role=VOLUNTEER,
            templates="courses/notices/course_enrolled",
            label=_("Staff enrolled you in a course"),
            link="course_url",
        )
    )
    kind_register(
        NoticeKind(
            name=COURSE_COMPLETED,
            role=VOLUNTEER,
            templates="courses/notices/course_completed",
            label=_("You completed a course"),
            link="course_url",
        )
    )


def course_in_languages(course) -> dict[str, dict[str, str]]:
    """The course's title and address in each language it is live in (Thai, its default, always)."""
    from courses.authoring.models import CoursePage

    titles, urls = {settings.LANGUAGE_CODE: course.title}, {settings.LANGUAGE_CODE: course.url}
    translations = CoursePage.objects.filter(translation_key=course.translation_key, live=True).exclude(
        pk=course.pk
    )
    for page in translations.select_related("locale"):
        code = page.locale.language_code
        if code in dict(settings.LANGUAGES):
            titles[code], urls[code] = page.title, page.url
    return {"course_title": titles, "course_url": urls}


def course_enrolled_notify(*, user_id: int, course) -> None:
    notify(user_id, COURSE_ENROLLED, {"course_id": course.pk, **course_in_languages(course)})


def course_completed_notify(*, user_id: int, course) -> None:
    """A course that issues no certificate; certificates tell of the others with the certificate."""
    notify(user_id, COURSE_COMPLETED, {"course_id": course.pk, **course_in_languages(course)})
