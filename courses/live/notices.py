"""The notification of live sessions (training.notices): a reminder the day before a session."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.learning.notices import course_in_languages
from courses.live.models import LiveSession
from training.dates import format_datetime, issuer_zone
from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

LIVE_SESSION_REMINDER = "live_session_reminder"


def register() -> None:
    kind_register(
        NoticeKind(
            name=LIVE_SESSION_REMINDER,
            role=VOLUNTEER,
            templates="courses/notices/live_session_reminder",
            label=_("Reminders of live sessions you are invited to"),
            optional=True,
            link="link",
        )
    )


def session_context(session: LiveSession, *, zone_name: str) -> dict:
    """The session's title, course and time in the volunteer's zone and in Bangkok, and a link to
    its page (never the meeting link itself: a forwarded mail must not let a stranger in)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name) if zone_name else issuer_zone()
    return {
        "session_id": session.pk,
        "session_title": session.title,
        "starts": per_language(lambda: format_datetime(session.starts, zone=zone)),
        "starts_bangkok": per_language(lambda: format_datetime(session.starts, zone=issuer_zone()))
        if zone.key != issuer_zone().key
        else "",
        "minutes": session.duration_minutes,
        "link": per_language(lambda: reverse("live_session", args=[session.pk])),
        **course_in_languages(session.run.course),
    }


def live_session_reminder_notify(*, user_id: int, session: LiveSession, zone_name: str) -> None:
    notify(
        user_id,
        LIVE_SESSION_REMINDER,
        session_context(session, zone_name=zone_name),
        key=f"{session.uid}:{int(session.starts.timestamp())}",
    )
