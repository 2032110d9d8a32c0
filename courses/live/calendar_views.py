"""Live sessions in calendars: a session's `.ics` file (its enrolled volunteers only), the calendar
page that gives a volunteer their feed's address and lets them replace it, and the feed itself.

The feed is fetched by calendar apps, which cannot sign in: its address, outside the language prefix
(`/calendar/<token>.ics`), is the key. Any address that does not open a feed gets the same short
plain 404, whatever is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from courses.live import calendar
from courses.live.models import LiveSession
from courses.live.selectors import session_is_for, volunteer_upcoming_sessions
from training.dates import format_datetime, issuer_zone, reader_zone


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _language() -> str:
    return (get_language() or "th").split("-")[0]


@require_safe
@login_required
def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """One session as a calendar file, for a volunteer enrolled in its run (others: 404)."""
    session = LiveSession.objects.select_related("run__course").filter(pk=session_id).first()
    if session is None or not session_is_for(request.user, session):
        raise Http404(_("This session does not exist or is not one of yours."))
    body = calendar.sessions_calendar([session], language=_language(), name=_("Overseas volunteer training"))
    response = _calendar_response(body, filename=f"live-session-{session.pk}.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A volunteer's sessions for their calendar app: Thai, or English with `?lang=en`."""
    user = calendar.calendar_feed_user(token)
    if user is None:
        return HttpResponseNotFound(
            _("This calendar address is not in use."), content_type="text/plain; charset=utf-8"
        )
    language = "en" if request.GET.get("lang") == "en" else "th"
    with translation.override(language):
        body = calendar.sessions_calendar(
            calendar.feed_sessions(user), language=language, name=_("My live sessions"), refresh=True
        )
    response = _calendar_response(body)
    response["Content-Language"] = language
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@dataclass(frozen=True)
class UpcomingSession:
    session: LiveSession
    course_title: str
    url: str
    ics_url: str
    starts_here: str
    starts_in_bangkok: str


def _upcoming(user, language: str) -> list[UpcomingSession]:
    now = timezone.now()
    sessions = [session for session in volunteer_upcoming_sessions(user, now) if session.ends > now]
    titles = calendar.course_titles((session.run.course for session in sessions), language)
    same_zone = reader_zone().key == issuer_zone().key
    return [
        UpcomingSession(
            session=session,
            course_title=titles[session.run.course_id],
            url=reverse("live_session", args=[session.pk]),
            ics_url=reverse("live_session_ics", args=[session.pk]),
            starts_here=format_datetime(session.starts),
            starts_in_bangkok="" if same_zone else format_datetime(session.starts, zone=issuer_zone()),
        )
        for session in sessions
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """How to subscribe to one's sessions, the feed's address, and a form to replace it."""
    if request.method == "POST":
        calendar.calendar_feed_rotate(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: add the new address "
                "to your calendar app and remove the old calendar."
            ),
        )
        return HttpResponseRedirect(reverse("live_calendar"))
    feed = calendar.calendar_feed_for(user=request.user)
    language = _language()
    context = {
        "page_title": _("My calendar"),
        "feed_url": calendar.feed_url(feed, language),
        "webcal_url": calendar.feed_webcal_url(feed, language),
        "sessions": _upcoming(request.user, language),
        "alarm_minutes": int(calendar.ALARM_BEFORE.total_seconds() // 60),
    }
    return render(request, "courses/live/calendar_page.html", context)
