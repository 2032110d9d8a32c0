"""Live sessions and privacy: the export lists the sessions a volunteer attended and says whether a
calendar feed exists (never its address); erasure removes attendance, reminders and the feed."""

import pytest
from django.test import Client

from courses.live.calendar import calendar_feed_for
from courses.live.models import CalendarFeed, SessionAttendance, SessionReminder
from tests.courses.live.calendar_helpers import make_session, run_with_volunteer
from tests.factories import make_user
from volunteers.privacy import covered_models
from volunteers.services import user_data_export, volunteer_erase

pytestmark = pytest.mark.django_db

COURSE = "การช่วยเหลือผู้ถูกกระทำ"


@pytest.fixture
def world():
    course, run, profile = run_with_volunteer(title=COURSE)
    return course, run, profile, make_session(run)


def test_the_live_session_tables_have_a_privacy_provider():
    assert {SessionAttendance, SessionReminder, CalendarFeed} <= covered_models()


def test_the_privacy_export_lists_attended_sessions_and_whether_a_feed_exists(world):
    _course, _run, profile, session = world
    SessionAttendance.objects.create(session=session, volunteer=profile.user)
    SessionReminder.objects.create(session=session, volunteer=profile.user)
    feed = calendar_feed_for(user=profile.user)
    data = user_data_export(user=profile.user)["data"]["live_sessions"]
    assert data["sessions_attended"][0]["course"] == COURSE
    assert data["sessions_attended"][0]["session"] == session.title
    assert data["sessions_reminded"][0]["session"] == session.title
    assert data["calendar_feed"]["exists"] is True
    assert feed.token not in str(data)
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    assert not SessionAttendance.objects.filter(volunteer=profile.user).exists()
    assert not SessionReminder.objects.filter(volunteer=profile.user).exists()
    assert Client().get(f"/calendar/{feed.token}.ics").status_code == 404


def test_an_erased_trainer_no_longer_stands_behind_the_attendance_they_recorded(world):
    _course, _run, profile, session = world
    trainer = make_user(group="Trainers")
    row = SessionAttendance.objects.create(session=session, volunteer=profile.user, recorded_by=trainer)
    volunteer_erase(user=trainer, actor=make_user(group="Staff"))
    row.refresh_from_db()
    assert row.recorded_by is None


def test_erasure_revokes_the_feed(world):
    _course, _run, profile, _session = world
    token = calendar_feed_for(user=profile.user).token
    assert Client().get(f"/calendar/{token}.ics").status_code == 200
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    assert not CalendarFeed.objects.filter(token=token).exists()
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
