"""Live session reminders: time is driven forward by passing the job fixed clocks. Each volunteer of
the session's run is told once in the day before it, in their language, with the time in their own
zone and in Bangkok time and a link to the session's page, never the meeting link; volunteers of
another run, those who completed the course and those who turned the kind off are not; a person in
their quiet hours is told by the first run after they end."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from courses.learning.models import CourseCompletion
from courses.learning.services import course_run_enrol
from courses.live.models import LiveSession, SessionReminder
from courses.live.reminders import live_session_reminders_send
from notifications.models import Notification, NotificationPreferences
from tests.courses.learning.run_helpers import make_run
from tests.factories import make_course_tree, make_volunteer
from training.scheduler import JOBS

pytestmark = pytest.mark.django_db

MEETING = "https://meet.example.org/secret-room"
# The session starts next January 15th at 16:00 UTC: 17:00 in Oslo (winter, whenever the test
# runs), 23:00 in Bangkok. The job is given its clock, so the date may be months away.
STARTS = datetime.datetime(timezone.now().year + 1, 1, 15, 16, 0, tzinfo=datetime.UTC)


def hours_before(hours: float) -> datetime.datetime:
    return STARTS - datetime.timedelta(hours=hours)


@pytest.fixture
def world():
    course, _module, _lesson = make_course_tree(title="การส่งต่อกรณี")
    run, other_run = make_run(course), make_run(course)
    session = LiveSession.objects.create(
        run=run, title="วงสนทนากับเครือข่ายไทยในนอร์เวย์", meeting_url=MEETING, starts=STARTS
    )
    return course, run, other_run, session


def enrolled(course, run, **profile):
    volunteer = make_volunteer(**profile).user
    course_run_enrol(volunteer=volunteer, course=course, run=run)
    return volunteer


def send(now, capture):
    with capture(execute=True):
        return live_session_reminders_send(now=now)


def test_the_job_runs_hourly():
    assert JOBS["live_session_reminders"].every == datetime.timedelta(hours=1)


def test_each_volunteer_of_the_run_is_told_once_in_the_day_before(world, django_capture_on_commit_callbacks):
    course, run, other_run, session = world
    member = enrolled(course, run, country="NO")
    reader_in_english = enrolled(course, run, country="NO", preferred_language="en")
    enrolled(course, other_run)
    finished = enrolled(course, run)
    CourseCompletion.objects.create(volunteer=finished, course=course, run=run)
    mail.outbox.clear()

    assert send(hours_before(25), django_capture_on_commit_callbacks)["reminded"] == 0
    assert send(hours_before(23), django_capture_on_commit_callbacks)["reminded"] == 2
    assert send(hours_before(22), django_capture_on_commit_callbacks)["reminded"] == 0
    assert send(hours_before(1), django_capture_on_commit_callbacks)["reminded"] == 0
    assert {message.to[0] for message in mail.outbox} == {member.email, reader_in_english.email}
    thai = next(message for message in mail.outbox if message.to == [member.email])
    assert thai.subject == "ใกล้ถึงเวลาการประชุมออนไลน์: “วงสนทนากับเครือข่ายไทยในนอร์เวย์”"
    assert "17:00 น. (เวลานอร์เวย์, UTC+1)" in thai.body
    assert "ตามเวลากรุงเทพฯ:" in thai.body and "23:00 น. (เวลาไทย, UTC+7)" in thai.body
    assert f"{settings.SITE_URL}/learn/sessions/{session.pk}/" in thai.body
    english = next(message for message in mail.outbox if message.to == [reader_in_english.email])
    assert "You are invited to the live session" in english.body and "lasts 60 minutes" in english.body
    assert f"{settings.SITE_URL}/en/learn/sessions/{session.pk}/" in english.body
    for message in mail.outbox:
        assert MEETING not in message.body and MEETING not in message.alternatives[0][0]
    assert Notification.objects.filter(user=member, kind="live_session_reminder").count() == 1
    assert SessionReminder.objects.count() == 2


def test_quiet_hours_hold_the_reminder_and_the_kind_can_be_turned_off(
    world, django_capture_on_commit_callbacks
):
    course, run, _other_run, _session = world
    # Quiet from 20:00 to 08:00 in Oslo: 23 hours before 16:00 UTC is 18:00 UTC, 19:00 in Oslo.
    sleeper = enrolled(course, run, country="NO")
    NotificationPreferences.objects.create(user=sleeper, quiet_start_hour=18, quiet_end_hour=8)
    unsubscribed = enrolled(course, run, country="NO")
    NotificationPreferences.objects.create(user=unsubscribed, muted_kinds=["live_session_reminder"])
    result = send(hours_before(22), django_capture_on_commit_callbacks)
    assert result["waiting_for_quiet_hours_to_end"] == 1
    assert not Notification.objects.filter(user=sleeper).exists()
    # 08:00 in Oslo is 07:00 UTC, nine hours before the start.
    assert send(hours_before(9), django_capture_on_commit_callbacks)["reminded"] >= 1
    assert Notification.objects.filter(user=sleeper, kind="live_session_reminder").count() == 1
    assert not Notification.objects.filter(user=unsubscribed, kind="live_session_reminder").exists()
