"""A live session's page: only the volunteers of its run (and those who keep it) see it; the meeting
link shows from shortly before the start until the end, never earlier or later; times are in the
reader's zone with Bangkok time beside; the course page lists the run's sessions with the
attendance the course asks for, and the dashboard the next sessions."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from courses.learning.services import course_run_enrol
from courses.live.models import LiveSession, SessionAttendance
from tests.courses.learning.run_helpers import make_run
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

MEETING = "https://meet.example.org/abc-defg-hij"


def make_session(run, *, starts_in: datetime.timedelta, **fields) -> LiveSession:
    values = {"title": "วงสนทนากับเครือข่ายไทยในนอร์เวย์", "meeting_url": MEETING, **fields}
    return LiveSession.objects.create(run=run, starts=timezone.now() + starts_in, **values)


@pytest.fixture
def world():
    course, _module, _lesson = make_course_tree(title="การส่งต่อกรณี")
    run, other_run = make_run(course), make_run(course)
    member = make_volunteer(country="NO").user
    outsider = make_volunteer(country="NO").user
    course_run_enrol(volunteer=member, course=course, run=run)
    course_run_enrol(volunteer=outsider, course=course, run=other_run)
    return course, run, member, outsider


def page(client, user, session, prefix=""):
    client.login(email=user.email, password=PASSWORD)
    return client.get(f"{prefix}/learn/sessions/{session.pk}/")


def test_the_link_shows_only_from_shortly_before_the_start_until_the_end(client, world):
    _course, run, member, _outsider = world
    later = make_session(run, starts_in=datetime.timedelta(hours=2))
    soon = make_session(run, starts_in=datetime.timedelta(minutes=20), meeting_url=MEETING + "-soon")
    over = make_session(run, starts_in=datetime.timedelta(hours=-3), meeting_url=MEETING + "-over")
    upcoming = page(client, member, later)
    assert upcoming.status_code == 200
    assert MEETING not in upcoming.content.decode()
    assert "ลิงก์การประชุมจะปรากฏที่นี่" in upcoming.content.decode()
    open_now = page(client, member, soon).content.decode()
    assert f'href="{MEETING}-soon"' in open_now and 'rel="noopener noreferrer"' in open_now
    assert MEETING not in page(client, member, over).content.decode()
    assert (
        page(client, member, later)["Cache-Control"].startswith("max-age=0")
        or "no-store" in page(client, member, later)["Cache-Control"]
    )


def test_a_session_of_another_run_looks_missing(client, world):
    _course, run, _member, outsider = world
    session = make_session(run, starts_in=datetime.timedelta(minutes=5))
    response = page(client, outsider, session)
    assert response.status_code == 404
    assert MEETING not in response.content.decode()
    client.logout()
    assert client.get(f"/learn/sessions/{session.pk}/").status_code == 302  # to the login
    assert page(client, outsider, session).status_code == 404
    assert client.get("/learn/sessions/999999/").status_code == 404


def test_staff_see_every_session_and_a_trainer_only_of_courses_they_may_edit(client, world):
    _course, run, _member, _outsider = world
    session = make_session(run, starts_in=datetime.timedelta(minutes=5))
    assert page(client, make_user(group="Staff"), session).status_code == 200
    assert page(client, make_user(group="Trainers"), session).status_code == 200  # they edit every course
    # A trainer who may edit another course only (a page permission there) sees nothing of this one.
    other_course = make_course_tree(title="อีกหลักสูตร")[0]
    group = Group.objects.create(name="Trainers of another course")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", "change_livesession"]))
    GroupPagePermission.objects.create(
        group=group, page=other_course, permission=Permission.objects.get(codename="change_page")
    )
    elsewhere = make_user()
    elsewhere.groups.add(group)
    response = page(client, elsewhere, session)
    assert response.status_code == 404 and MEETING not in response.content.decode()


def test_times_are_in_the_readers_zone_with_bangkok_time_beside(client, world):
    _course, run, member, _outsider = world
    # Next January 15th at 16:00 UTC: winter in Oslo (UTC+1) whenever the test runs.
    starts = datetime.datetime(timezone.now().year + 1, 1, 15, 16, 0, tzinfo=datetime.UTC)
    session = LiveSession.objects.create(run=run, title="Roundtable", meeting_url=MEETING, starts=starts)
    html = page(client, member, session).content.decode()
    assert "17:00 น. (เวลานอร์เวย์, UTC+1)" in html
    assert "23:00 น. (เวลาไทย, UTC+7)" in html
    english = page(client, member, session, prefix="/en").content.decode()
    assert "(Norway time, UTC+1)" in english and "In Bangkok time" in english


def test_the_course_page_lists_the_runs_sessions_and_the_attendance_asked_for(client, world):
    course, run, member, _outsider = world
    course.live_sessions_required = 1
    course.save_revision().publish()
    first = make_session(run, starts_in=datetime.timedelta(hours=-3), title="ครั้งที่ 1")
    make_session(run, starts_in=datetime.timedelta(days=2), title="ครั้งที่ 2")
    other = make_session(make_run(course, name="อีกรุ่น"), starts_in=datetime.timedelta(days=1), title="รุ่นอื่น")
    # Before enrolling, anyone reads what the course asks; the sessions themselves are the run's.
    anonymous = client.get(course.url).content.decode()
    assert "ท่านต้องเข้าร่วมการประชุมออนไลน์ของรุ่นอย่างน้อย 1 ครั้ง" in anonymous
    assert "ครั้งที่ 1" not in anonymous
    client.login(email=member.email, password=PASSWORD)
    html = client.get(course.url).content.decode()
    assert "ครั้งที่ 1" in html and "ครั้งที่ 2" in html and other.title not in html
    assert "อย่างน้อย 1 ครั้งจึงจะเรียนจบ" in html and "(ท่านเข้าร่วมแล้ว 0 ครั้ง)" in html
    SessionAttendance.objects.create(session=first, volunteer=member)
    html = client.get(course.url).content.decode()
    assert "(ท่านเข้าร่วมแล้ว 1 ครั้ง)" in html and "✓ เข้าร่วมแล้ว" in html
    dashboard = client.get("/learn/").content.decode()
    assert "ครั้งที่ 2" in dashboard and "ครั้งที่ 1" not in dashboard  # the next ones only


def test_the_course_page_and_dashboard_cost_the_same_for_one_session_as_for_five(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    course, run, member, _outsider = world
    client.login(email=member.email, password=PASSWORD)

    def costs():
        counts = []
        for url in (course.url, "/learn/"):
            client.get(url)  # warm the caches a page keeps across requests
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    make_session(run, starts_in=datetime.timedelta(days=1))
    one = costs()
    for day in range(2, 6):
        SessionAttendance.objects.create(
            session=make_session(run, starts_in=datetime.timedelta(days=day)), volunteer=member
        )
    assert costs() == one


def test_the_english_dashboard_names_each_sessions_course_as_the_reader_reads_it(client, world):
    """Runs and their sessions hang on the Thai course; beside a session the dashboard names the
    course the reader reads, its English translation in English, as the course list below does."""
    from tests.courses.live.calendar_helpers import translate_course

    course, run, member, _outsider = world
    make_session(run, starts_in=datetime.timedelta(days=2), title="Roundtable")
    english = translate_course(course, "Referring cases")
    client.login(email=member.email, password=PASSWORD)
    card = sessions_card(client.get("/en/learn/"))
    assert "Roundtable" in card and f"· {english.title}" in card and course.title not in card
    assert f"· {course.title}" in sessions_card(client.get("/learn/"))


def sessions_card(response) -> str:
    return response.content.decode().split('class="card live-sessions"', 1)[1].split("</section>")[0]
