"""The notifications of learning (training.notices): enrolled by staff, course completed, a seat
in a run come free from its waiting list, moved to another run by staff."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from training.dates import format_datetime, issuer_zone
from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

COURSE_ENROLLED = "course_enrolled"
COURSE_COMPLETED = "course_completed"
RUN_SEAT_OFFERED = "run_seat_offered"
RUN_MOVED = "run_moved"


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
    kind_register(
        NoticeKind(
            name=RUN_SEAT_OFFERED,
            role=VOLUNTEER,
            templates="courses/notices/run_seat_offered",
            label=_("A seat came free in a course run you waited for"),
            link="course_url",
        )
    )
    kind_register(
        NoticeKind(
            name=RUN_MOVED,
            role=VOLUNTEER,
            templates="courses/notices/run_moved",
            label=_("Staff moved you to another run of a course"),
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


def _run_context(run) -> dict:
    """The run's name and its deadline as staff set it (Bangkok time, with the zone named)."""
    return {
        "course_id": run.course_id,
        "run_name": run.name,
        "deadline": per_language(lambda: format_datetime(run.ends, zone=issuer_zone())),
        **course_in_languages(run.course),
    }


def run_seat_offered_notify(*, user_id: int, run) -> None:
    notify(user_id, RUN_SEAT_OFFERED, _run_context(run))


def run_moved_notify(*, user_id: int, run) -> None:
    notify(user_id, RUN_MOVED, _run_context(run))
