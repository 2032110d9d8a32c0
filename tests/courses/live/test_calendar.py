"""Live sessions in calendars: a session's .ics for its enrolled volunteers, and each volunteer's feed
at a secret address they can replace. Every file served is parsed with the icalendar library."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from icalendar import Calendar

from courses.learning.services import course_enrol
from courses.live.calendar import calendar_feed_for, calendar_feed_rotate
from courses.live.models import CalendarFeed, LiveSession
from tests.courses.learning.run_helpers import make_run
from tests.courses.live.calendar_helpers import (
    MEETING_URL,
    make_session,
    run_with_volunteer,
    translate_course,
)
from tests.factories import make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

COURSE = "การช่วยเหลือผู้ถูกกระทำ"
NAMES = {
    "email": "kanyarat.calendar@example.org",
    "given_name_th": "กัญญารัตน์",
    "family_name_th": "ใจดีมาก",
    "given_name_en": "Kanyarat",
    "family_name_en": "Jaidimak",
}


def parsed(response) -> Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def only_event(calendar: Calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def uid_of(session) -> str:
    return f"{session.uid}@127.0.0.1"


@pytest.fixture
def world(client):
    course, run, profile = run_with_volunteer(title=COURSE, **NAMES)
    session = make_session(run)
    client.force_login(profile.user)
    return course, run, profile, session


# --- One session's file ----------------------------------------------------------------------


def test_an_enrolled_volunteer_downloads_the_session_as_an_rfc_5545_file(client, world, settings):
    settings.SITE_URL = "https://training.example.org"
    _course, _run, _profile, session = world
    LiveSession.objects.filter(pk=session.pk).update(sequence=3)
    session.refresh_from_db()
    response = client.get(f"/learn/sessions/{session.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="live-session-{session.pk}.ics"'
    assert response["Cache-Control"] == "private, no-store"
    calendar = parsed(response)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH" and "PRODID" in calendar and "X-WR-CALNAME" in calendar
    event = only_event(calendar)
    assert str(event["UID"]) == f"{session.uid}@training.example.org"
    assert event.decoded("DTSTART") == session.starts
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == session.starts + datetime.timedelta(minutes=90)
    assert int(event["SEQUENCE"]) == 3
    assert event.decoded("LAST-MODIFIED") == session.updated_at.replace(microsecond=0)
    assert "DTSTAMP" in event
    assert str(event["SUMMARY"]) == f"{COURSE} · {session.title}"
    page = f"https://training.example.org/learn/sessions/{session.pk}/"
    assert str(event["URL"]) == page
    assert resolve(page.removeprefix("https://training.example.org")).url_name == "live_session"
    description = str(event["DESCRIPTION"])
    assert session.description in description and page in description
    alarm = event.walk("VALARM")[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -datetime.timedelta(minutes=30)


def test_the_file_holds_neither_the_meeting_link_nor_the_volunteers_name(client, world):
    _course, _run, profile, session = world
    session.description = f"ห้องประชุม: {MEETING_URL} โปรดเข้าตรงเวลา"
    session.save()
    body = client.get(f"/learn/sessions/{session.pk}/calendar.ics").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "meet.example.org" not in unfolded and "secret-room" not in unfolded
    assert "โปรดเข้าตรงเวลา" in unfolded  # the rest of the trainer's notes stays
    for value in NAMES.values():
        assert value not in unfolded
    assert profile.user.email not in unfolded


def test_the_uid_is_stable_and_shared_with_the_feed(client, world):
    _course, _run, profile, session = world
    first = only_event(parsed(client.get(f"/learn/sessions/{session.pk}/calendar.ics")))
    second = only_event(parsed(client.get(f"/learn/sessions/{session.pk}/calendar.ics")))
    feed = calendar_feed_for(user=profile.user)
    in_feed = only_event(parsed(Client().get(f"/calendar/{feed.token}.ics")))
    assert str(first["UID"]) == str(second["UID"]) == str(in_feed["UID"]) == uid_of(session)


def test_the_english_file_names_the_english_course_and_links_to_the_english_page(client, world):
    course, _run, _profile, session = world
    translate_course(course, "Helping people who suffered violence")
    event = only_event(parsed(client.get(f"/en/learn/sessions/{session.pk}/calendar.ics")))
    assert str(event["SUMMARY"]) == f"Helping people who suffered violence · {session.title}"
    assert str(event["URL"]) == f"{settings.SITE_URL}/en/learn/sessions/{session.pk}/"
    assert "The session page" in str(event["DESCRIPTION"])


def test_an_untranslated_course_keeps_its_thai_title_in_english(client, world):
    _course, _run, _profile, session = world
    event = only_event(parsed(client.get(f"/en/learn/sessions/{session.pk}/calendar.ics")))
    assert str(event["SUMMARY"]) == f"{COURSE} · {session.title}"


def test_only_volunteers_enrolled_in_the_sessions_run_get_its_file(client, world):
    course, _run, _profile, session = world
    other_run = make_run(course, name="รุ่นที่ 2 / 2570")
    in_other_run = make_volunteer()
    course_enrol(volunteer=in_other_run.user, course=course, run=other_run)
    url = f"/learn/sessions/{session.pk}/calendar.ics"
    for user in (make_volunteer().user, in_other_run.user, make_user(group="Staff")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert client.get("/learn/sessions/999999/calendar.ics").status_code == 404
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_lists_the_sessions_of_the_volunteers_runs_only(world):
    course, run, profile, session = world
    recent = make_session(run, title="ครั้งที่ผ่านมา", hours_from_now=-24 * 30)
    long_ago = make_session(run, title="นานมาแล้ว", hours_from_now=-24 * 100)
    other_run = make_run(course, name="รุ่นที่ 2 / 2570")
    not_theirs = make_session(other_run, title="ของรุ่นอื่น")
    _other_course, other_course_run, _other = run_with_volunteer(title="หลักสูตรอื่น")
    not_theirs_either = make_session(other_course_run, title="ของหลักสูตรอื่น")
    feed = calendar_feed_for(user=profile.user)
    response = Client().get(f"/calendar/{feed.token}.ics")
    assert response.status_code == 200
    calendar = parsed(response)
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert uids == [uid_of(recent), uid_of(session)]
    for absent in (long_ago, not_theirs, not_theirs_either):
        assert uid_of(absent) not in uids
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"X-PUBLISHED-TTL:PT6H" in response.content
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Content-Disposition" not in response
    body = response.content.decode().replace("\r\n ", "")
    assert MEETING_URL not in body and NAMES["email"] not in body and NAMES["given_name_th"] not in body


def test_the_feed_is_thai_by_default_and_english_with_lang_en(world):
    course, _run, profile, session = world
    translate_course(course, "Helping people who suffered violence")
    token = calendar_feed_for(user=profile.user).token
    english_reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    thai = only_event(parsed(english_reader.get(f"/calendar/{token}.ics")))
    assert str(thai["SUMMARY"]) == f"{COURSE} · {session.title}"
    assert str(thai["URL"]) == f"{settings.SITE_URL}/learn/sessions/{session.pk}/"
    english = only_event(parsed(Client().get(f"/calendar/{token}.ics?lang=en")))
    assert str(english["SUMMARY"]) == f"Helping people who suffered violence · {session.title}"
    assert str(english["URL"]) == f"{settings.SITE_URL}/en/learn/sessions/{session.pk}/"


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "0123456789abcdef",  # hex, too short
        "0123456789ABCDEF0123456789ABCDEF",  # upper case
        "0123456789abcdef0123456789abcdef0",  # too long
        "g" * 32,
        "0" * 5000,
        "0123456789abcdef0123456789abcdef",  # well formed, nobody's
    ],
)
def test_an_address_that_opens_no_feed_is_a_plain_404(token):
    response = Client(raise_request_exception=False).get(f"/calendar/{token}.ics")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_new_address_replaces_the_old_one_at_once(client, world):
    _course, _run, profile, _session = world
    old = calendar_feed_for(user=profile.user).token
    response = client.post("/learn/calendar/", follow=True)
    new = CalendarFeed.objects.get(user=profile.user).token
    assert new != old and len(new) == 32
    assert "new address" in response.content.decode() or "ที่อยู่ใหม่" in response.content.decode()
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200


def test_rotating_for_someone_without_a_feed_makes_one():
    user = make_volunteer().user
    feed = calendar_feed_rotate(user=user)
    assert CalendarFeed.objects.get(user=user).token == feed.token


def test_making_a_new_address_needs_the_csrf_token(world):
    _course, _run, profile, _session = world
    old = calendar_feed_for(user=profile.user).token
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(profile.user)
    assert strict.post("/learn/calendar/").status_code == 403
    assert CalendarFeed.objects.get(user=profile.user).token == old


def test_a_deactivated_account_has_no_feed(world):
    _course, _run, profile, _session = world
    token = calendar_feed_for(user=profile.user).token
    profile.user.is_active = False
    profile.user.save()
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


def test_the_feed_is_not_sent_to_the_consent_page_or_the_admin_sign_in(world, settings):
    """A browser that opens the feed may carry a session: one owing consent to a new privacy notice,
    or an admin session idle for too long. The address is the key; it answers the feed all the same."""
    from tests.factories import make_privacy_notice

    _course, _run, profile, _session = world
    token = calendar_feed_for(user=profile.user).token
    make_privacy_notice(version=2)
    browser = Client()
    browser.force_login(profile.user)
    assert browser.get("/learn/calendar/").status_code == 302  # the control: pages ask for consent
    assert browser.get(f"/calendar/{token}.ics").status_code == 200
    staff = Client()
    staff.force_login(make_user(group="Staff"))
    session = staff.session
    session["admin_access"] = True
    session["last_activity"] = 0
    session.save()
    response = staff.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


def test_the_feed_costs_the_same_queries_for_one_session_or_five():
    def queries(sessions: int, language: str) -> int:
        _course, run, profile = run_with_volunteer(title=f"หลักสูตร {sessions}")
        for number in range(sessions):
            make_session(run, title=f"ครั้งที่ {number}", hours_from_now=24 + number)
        others = [run_with_volunteer(title=f"อื่น {number}")[1] for number in range(sessions - 1)]
        for other in others:
            course_enrol(volunteer=profile.user, course=other.course, run=other)
            make_session(other)
        token = calendar_feed_for(user=profile.user).token
        client = Client()
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"/calendar/{token}.ics?lang={language}")
        assert len(parsed(response).walk("VEVENT")) == sessions + len(others)
        return len(context.captured_queries)

    for language in ("th", "en"):
        assert queries(1, language) == queries(5, language) <= 3


def test_the_feed_stays_within_its_query_budget(world, django_assert_max_num_queries):
    _course, _run, profile, _session = world
    token = calendar_feed_for(user=profile.user).token
    with django_assert_max_num_queries(3):
        assert Client().get(f"/calendar/{token}.ics?lang=en").status_code == 200


# --- The calendar page -----------------------------------------------------------------------


def test_the_calendar_page_gives_the_address_and_the_upcoming_sessions_in_thai(client, world):
    _course, run, profile, session = world
    make_session(run, title="จบไปแล้ว", hours_from_now=-5)
    response = client.get("/learn/calendar/")
    assert response.status_code == 200
    html = response.content.decode()
    feed = CalendarFeed.objects.get(user=profile.user)
    assert f"{settings.SITE_URL}/calendar/{feed.token}.ics" in html
    assert f"webcal://{settings.SITE_URL.split('://')[1]}/calendar/{feed.token}.ics" in html
    assert "readonly" in html and "ปฏิทินของฉัน" in html
    assert session.title in html and COURSE in html and "จบไปแล้ว" not in html
    assert f'href="/learn/sessions/{session.pk}/"' in html
    assert f'href="/learn/sessions/{session.pk}/calendar.ics"' in html
    assert MEETING_URL not in html
    assert client.get("/learn/calendar/").content.decode().count(feed.token) >= 2  # the same address again
    assert CalendarFeed.objects.get(user=profile.user).token == feed.token


def test_the_calendar_page_shows_the_readers_time_and_bangkok_time():
    _course, run, profile = run_with_volunteer(country="NO")
    session = make_session(run, starts=datetime.datetime(2030, 1, 15, 12, 0, tzinfo=datetime.UTC))
    client = Client()
    client.force_login(profile.user)
    html = client.get("/en/learn/calendar/").content.decode()
    assert "15 January 2030, 13:00 (Norway time, UTC+1)" in html
    assert "15 January 2030, 19:00 (Thailand time, UTC+7)" in html
    assert f"{settings.SITE_URL}/calendar/" in html and ".ics?lang=en" in html
    assert f'href="/en/learn/sessions/{session.pk}/"' in html


def test_the_calendar_page_asks_for_a_sign_in(client):
    response = client.get("/learn/calendar/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not CalendarFeed.objects.exists()


def test_a_session_far_from_now_is_dated_in_utc_whatever_the_reader(world):
    """DTSTART is the stored UTC moment, not a wall time in anybody's zone."""
    _course, _run, profile, session = world
    profile.country = "NO"
    profile.save()
    token = calendar_feed_for(user=profile.user).token
    event = only_event(parsed(Client().get(f"/calendar/{token}.ics")))
    assert event["DTSTART"].to_ical().endswith(b"Z")
    assert event.decoded("DTSTART") == session.starts.astimezone(datetime.UTC)
    assert timezone.is_aware(event.decoded("DTEND"))


def test_a_course_tree_without_runs_has_no_sessions_in_the_feed():
    course, _module, _lesson = make_course_tree(title="ไม่มีรุ่น")
    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=course)
    token = calendar_feed_for(user=profile.user).token
    assert parsed(Client().get(f"/calendar/{token}.ics")).walk("VEVENT") == []


def test_the_dashboard_leads_to_the_calendar_page(client, world):
    assert 'href="/learn/calendar/"' in client.get("/learn/").content.decode()
