"""The authorization matrix's rows for live sessions as volunteers meet them: a session's page (its
run's volunteers and those who keep it), a session's .ics (volunteers
enrolled in its run: A, in the world's run; everyone else a 404), the calendar page (anyone signed
in, for their own feed), and the feed, whose address is the key (whoever holds it, signed in or
not; any other address a 404). See test_authorization_matrix.py."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses.live.calendar import calendar_feed_for
from courses.live.models import LiveSession
from tests.security.matrix_site import Row


def live_calendar_world(*, a, run) -> dict:
    """A session in the world's run (A is enrolled in it, B is not) and A's calendar feed."""
    session = LiveSession.objects.create(
        run=run,
        title="Matrix live session",
        starts=timezone.now() + timedelta(days=12),
        meeting_url="https://meet.example.org/matrix-room",
    )
    return {"live_session": session, "calendar_feed": calendar_feed_for(user=a)}


ALL_405 = "405 405 405 405 405 405"

#                                anonymous   A       B       trainer  staff  superuser
LIVE_CALENDAR_ROWS = [
    # The session's page: its run's volunteers, and those who keep it (trainers of its course,
    # staff); anyone else a 404, as for a session that does not exist.
    Row(
        "live_session",
        lambda w: f"/learn/sessions/{w.live_session.pk}/",
        get="login 200 404 200 200 200",
        post=ALL_405,
    ),
    Row(
        "live_session",
        lambda w: "/en/learn/sessions/999999/",
        get="login 404 404 404 404 404",
        post=ALL_405,
    ),
    Row(
        "live_session_ics",
        lambda w: f"/learn/sessions/{w.live_session.pk}/calendar.ics",
        get="login 200 404 404 404 404",
        post=ALL_405,
    ),
    Row(
        "live_session_ics",
        lambda w: f"/en/learn/sessions/{w.live_session.pk}/calendar.ics",
        get="login 200 404 404 404 404",
        post=ALL_405,
    ),
    Row(
        "live_session_ics",
        lambda w: "/learn/sessions/999999/calendar.ics",
        get="login 404 404 404 404 404",
        post=ALL_405,
    ),
    # Each person's own feed address; the POST makes them a new one.
    Row(
        "live_calendar",
        lambda w: "/learn/calendar/",
        get="login 200 200 200 200 200",
        post="login 302 302 302 302 302",
    ),
    Row(
        "live_calendar_feed",
        lambda w: f"/calendar/{w.calendar_feed.token}.ics",
        get="200 200 200 200 200 200",
        post=ALL_405,
    ),
    Row(
        "live_calendar_feed",
        lambda w: f"/calendar/{w.calendar_feed.token}.ics?lang=en",
        get="200 200 200 200 200 200",
        post=ALL_405,
    ),
    Row(
        "live_calendar_feed",
        lambda w: "/calendar/0123456789abcdef0123456789abcdef.ics",
        get="404 404 404 404 404 404",
        post=ALL_405,
    ),
    Row(
        "live_calendar_feed",
        lambda w: "/calendar/not-a-token.ics",
        get="404 404 404 404 404 404",
        post=ALL_405,
    ),
]
