"""The authorization matrix's rows for live sessions in the admin: the sessions as snippets and the
attendance page of one session. The matrix's trainer may edit every course (the Trainers group's
rights on the catalog), so they keep the world's session like staff; a trainer of another course
is refused in tests/courses/live/test_live_admin.py. See test_authorization_matrix.py."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from courses.live.models import LiveSession
from tests.security.matrix_site import Row, admin

SNIPPETS = "snippets/courses/livesession/"
CHOOSER = "snippets/choose/courses/livesession/"
KEEPERS = "admin-login admin-login admin-login 200 200 200"
NO_POST = "admin-login admin-login admin-login 405 405 405"
MISSING = "admin-login admin-login admin-login 404 404 404"


def live_admin_world(*, run) -> dict:
    """A session of the world's run (A is enrolled in it) for the admin rows."""
    session = LiveSession.objects.create(
        run=run,
        title="Matrix admin session",
        starts=timezone.now() + timedelta(days=14),
        meeting_url="https://meet.example.org/matrix-admin",
    )
    return {"admin_session": session}


#                                anonymous   A       B       trainer  staff  superuser
LIVE_ADMIN_ROWS = [
    Row("wagtailsnippets_courses_livesession:list", admin(SNIPPETS), get=KEEPERS, post=NO_POST),
    Row(
        "wagtailsnippets_courses_livesession:list_results",
        admin(SNIPPETS + "results/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    # An empty form is answered with its errors (200), never saved.
    Row("wagtailsnippets_courses_livesession:add", admin(SNIPPETS + "add/"), get=KEEPERS, post=KEEPERS),
    Row(
        "wagtailsnippets_courses_livesession:edit",
        admin(SNIPPETS + "edit/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=KEEPERS,
    ),
    Row(
        "wagtailsnippets_courses_livesession:edit",
        admin(SNIPPETS + "edit/999999/"),
        get=MISSING,
        post=MISSING,
    ),
    Row(
        "wagtailsnippets_courses_livesession:delete",
        admin(SNIPPETS + "delete/{w.admin_session.pk}/"),
        get=KEEPERS,
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "wagtailsnippets_courses_livesession:usage",
        admin(SNIPPETS + "usage/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_livesession:history",
        admin(SNIPPETS + "history/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_livesession:history_results",
        admin(SNIPPETS + "history-results/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippets_courses_livesession:copy",
        admin(SNIPPETS + "copy/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=KEEPERS,
    ),
    Row("wagtailsnippetchoosers_courses_livesession:choose", admin(CHOOSER), get=KEEPERS, post=NO_POST),
    Row(
        "wagtailsnippetchoosers_courses_livesession:choose_results",
        admin(CHOOSER + "results/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_livesession:chosen",
        admin(CHOOSER + "chosen/{w.admin_session.pk}/"),
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_livesession:chosen_multiple",
        lambda w: f"/admin/{CHOOSER}chosen-multiple/?id={w.admin_session.pk}",
        get=KEEPERS,
        post=NO_POST,
    ),
    Row(
        "wagtailsnippetchoosers_courses_livesession:create",
        admin(CHOOSER + "create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    # Saving the list with nobody ticked returns to the page; an unknown action is a 400.
    Row(
        "courses_live_attendance",
        admin("live-sessions/{w.admin_session.pk}/attendance/"),
        get=KEEPERS,
        post="admin-login admin-login admin-login 302 302 302",
        data={"action": "list"},
    ),
    Row(
        "courses_live_attendance",
        admin("live-sessions/{w.admin_session.pk}/attendance/"),
        get=KEEPERS,
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "courses_live_attendance",
        admin("live-sessions/999999/attendance/"),
        get=MISSING,
        post=MISSING,
    ),
]
