"""Live sessions in people's calendars (RFC 5545): one session's `.ics` file and each volunteer's
subscription feed, whose events come from the one builder below, so a calendar that holds both
sees the same event (same UID) and updates it when the session's SEQUENCE goes up.

An event names the course and the session and links to the session page. It never carries the
meeting link (a calendar is synced to other companies' servers and shared with others; the page
shows the link to enrolled volunteers shortly before the start) nor anyone's name or address.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

from courses.authoring.models import CoursePage
from courses.live.models import CalendarFeed, LiveSession, calendar_token
from courses.live.selectors import PAST_SESSIONS_SHOWN, volunteer_sessions

PRODID = "-//MSDHS Thailand//Overseas volunteer training//TH"
ALARM_BEFORE = datetime.timedelta(minutes=30)
# How often a subscribed calendar app is asked to fetch the feed again.
FEED_REFRESH = datetime.timedelta(hours=6)
FEED_TOKEN = re.compile(r"[0-9a-f]{32}")
CONTENT_TYPE = "text/calendar; charset=utf-8"


# --- Addresses -------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    """The public address of a path: calendar apps keep it, so it is the site's, not the request's."""
    return settings.SITE_URL + path


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "training.localhost"


def session_page_url(session: LiveSession, language: str) -> str:
    with translation.override(language):
        return absolute_url(reverse("live_session", args=[session.pk]))


def feed_url(feed: CalendarFeed, language: str = settings.LANGUAGE_CODE) -> str:
    """The feed's address (https on the public site), as a calendar app is given it: Thai events by
    default, English ones with `?lang=en`."""
    query = "" if language == settings.LANGUAGE_CODE else f"?lang={language}"
    return absolute_url(reverse("live_calendar_feed", args=[feed.token])) + query


def feed_webcal_url(feed: CalendarFeed, language: str = settings.LANGUAGE_CODE) -> str:
    """The same address with the webcal scheme, which phones and desktop apps open as a subscription."""
    return "webcal://" + feed_url(feed, language).split("://", 1)[1]


# --- Course titles in the reader's language ----------------------------------------------------


def course_titles(courses: Iterable[CoursePage], language: str) -> dict[int, str]:
    """The title of each course in `language`: its live translation there, else its own (Thai) title.
    One query for any number of courses (none in Thai)."""
    courses = list({course.pk: course for course in courses}.values())
    titles = {course.pk: course.title for course in courses}
    if language == settings.LANGUAGE_CODE or not courses:
        return titles
    by_key: dict[Any, list[int]] = {}
    for course in courses:
        by_key.setdefault(course.translation_key, []).append(course.pk)
    translations = CoursePage.objects.filter(
        translation_key__in=list(by_key), locale__language_code=language, live=True
    ).values_list("translation_key", "title")
    for key, title in translations:
        for pk in by_key[key]:
            titles[pk] = title
    return titles


# --- Events and calendars ----------------------------------------------------------------------


def _description(session: LiveSession, page_url: str) -> str:
    # A trainer may paste the meeting link into the notes too; it stays on the session page.
    notes = session.description
    if session.meeting_url:
        notes = notes.replace(session.meeting_url, "")
    notes = notes.strip()
    link = _("The session page (the meeting link appears there shortly before the start): %(url)s") % {
        "url": page_url
    }
    return "\n\n".join(part for part in (notes, link) if part)


def session_event(
    session: LiveSession, *, course_title: str, language: str, stamp: datetime.datetime
) -> Event:
    """The calendar event of a session, in `language` (the caller has made it the active one)."""
    page_url = session_page_url(session, language)
    summary = f"{course_title} · {session.title}"
    event = Event()
    event.add("uid", f"{session.uid}@{_uid_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts.astimezone(datetime.UTC))
    event.add("dtend", session.ends.astimezone(datetime.UTC))
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", _description(session, page_url))
    event.add("url", page_url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def sessions_calendar(
    sessions: Iterable[LiveSession], *, language: str, name: str, refresh: bool = False
) -> bytes:
    """An iCalendar file of `sessions` in `language`; `refresh` marks a subscription feed, telling
    calendar apps how often to fetch it again."""
    sessions = list(sessions)
    with translation.override(language):
        titles = course_titles((session.run.course for session in sessions), language)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        if refresh:
            calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
            calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
        stamp = timezone.now().astimezone(datetime.UTC)
        for session in sessions:
            calendar.add_component(
                session_event(
                    session, course_title=titles[session.run.course_id], language=language, stamp=stamp
                )
            )
        return calendar.to_ical()


def feed_sessions(user: Any, now: datetime.datetime | None = None) -> list[LiveSession]:
    """What a volunteer's feed lists: their runs' sessions from PAST_SESSIONS_SHOWN ago onwards."""
    now = now or timezone.now()
    return list(
        volunteer_sessions(user).filter(starts__gte=now - PAST_SESSIONS_SHOWN).order_by("starts", "pk")
    )


# --- The feed's address ------------------------------------------------------------------------


def calendar_feed_for(*, user: Any) -> CalendarFeed:
    """The volunteer's feed, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user: Any) -> CalendarFeed:
    """A new address for the volunteer's feed: the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_user(token: str) -> Any | None:
    """The active person whose feed has address `token`, or None (a malformed, replaced or erased
    address, or a deactivated account)."""
    if not FEED_TOKEN.fullmatch(token):
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return feed.user if feed is not None else None
