"""The notifications of learning (training.notices): enrolled by staff, course completed, a seat
in a run come free from its waiting list, moved to another run by staff, a deadline extended by
staff, and a deadline coming close."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training.dates import format_datetime, issuer_zone
from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

COURSE_ENROLLED = "course_enrolled"
COURSE_COMPLETED = "course_completed"
RUN_SEAT_OFFERED = "run_seat_offered"
RUN_MOVED = "run_moved"
RUN_DEADLINE_EXTENDED = "run_deadline_extended"
RUN_DEADLINE_SOON = "run_deadline_soon"


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
    kind_register(
        NoticeKind(
            name=RUN_DEADLINE_EXTENDED,
            role=VOLUNTEER,
            templates="courses/notices/run_deadline_extended",
            label=_("Staff extended your deadline in a course"),
            link="course_url",
        )
    )
    kind_register(
        NoticeKind(
            name=RUN_DEADLINE_SOON,
            role=VOLUNTEER,
            templates="courses/notices/run_deadline_soon",
            label=_("Reminders before the deadline of a course you have not finished"),
            optional=True,
            link="link",
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


def _enrolment_context(enrolment) -> dict:
    """An enrolment's run (if any) and its deadline: staff's extension, else the run's end."""
    deadline = enrolment.deadline
    return {
        "course_id": enrolment.course_id,
        "run_name": enrolment.run.name if enrolment.run_id else "",
        "deadline": per_language(lambda: format_datetime(deadline, zone=issuer_zone())),
        **course_in_languages(enrolment.course),
    }


def run_deadline_extended_notify(*, user_id: int, enrolment) -> None:
    notify(user_id, RUN_DEADLINE_EXTENDED, _enrolment_context(enrolment))


def run_deadline_soon_notify(*, user_id: int, enrolment, days: int) -> None:
    """Once per deadline: a new deadline (an extension, a move) may be reminded of again."""
    context = {
        **_enrolment_context(enrolment),
        "days": days,
        "link": per_language(lambda: reverse("learning_continue", args=[enrolment.course_id])),
    }
    notify(
        user_id,
        RUN_DEADLINE_SOON,
        context,
        key=f"{enrolment.pk}:{int(enrolment.deadline.timestamp())}",
    )
