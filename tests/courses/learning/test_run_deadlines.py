"""Runs keep volunteers informed: a week before their deadline those who have not completed are
reminded once (a new deadline, by an extension or a move, once more), an extension by staff is
mailed, and the dashboard says which waiting list the volunteer is on."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from courses.learning.deadlines import run_deadline_reminders_send
from courses.learning.models import CourseCompletion, Enrollment
from courses.learning.runs import enrolment_extend
from courses.learning.services import course_run_enrol
from notifications.models import Notification, NotificationPreferences
from tests.courses.learning.run_helpers import make_run
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer
from training.scheduler import JOBS

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def course():
    return make_course_tree(title="การส่งต่อกรณี")[0]


def reminders(user):
    return Notification.objects.filter(user=user, kind="run_deadline_soon")


def send(now, capture):
    with capture(execute=True):
        return run_deadline_reminders_send(now=now)


def test_the_job_runs_hourly():
    assert JOBS["run_deadline_reminders"].every == datetime.timedelta(hours=1)


def test_a_week_before_the_deadline_those_not_done_are_reminded_once_per_deadline(
    course, django_capture_on_commit_callbacks
):
    run = make_run(course)
    late, done = make_volunteer().user, make_volunteer().user
    for person in (late, done):
        course_run_enrol(volunteer=person, course=course, run=run)
    CourseCompletion.objects.create(volunteer=done, course=course, run=run)
    mail.outbox.clear()

    assert send(run.ends - 8 * DAY, django_capture_on_commit_callbacks)["reminded"] == 0
    assert send(run.ends - 6 * DAY, django_capture_on_commit_callbacks)["reminded"] == 1
    assert send(run.ends - 5 * DAY, django_capture_on_commit_callbacks)["reminded"] == 0
    [message] = mail.outbox
    assert message.to == [late.email]
    assert message.subject == "ใกล้ถึงกำหนดเรียนจบหลักสูตร “การส่งต่อกรณี”"
    assert "อีก 6 วัน" in message.body and f"/learn/courses/{course.pk}/continue/" in message.body
    assert reminders(done).count() == 0

    # Staff extend her deadline: she is told at once, and reminded again a week before the new one.
    until = run.ends + 30 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_extend(
            enrolment=Enrollment.objects.get(volunteer=late), until=until, actor=make_user(group="Staff")
        )
    assert Notification.objects.filter(user=late, kind="run_deadline_extended").count() == 1
    assert mail.outbox[-1].subject == "ขยายกำหนดเรียนจบหลักสูตร “การส่งต่อกรณี” แล้ว"
    assert send(run.ends - 5 * DAY, django_capture_on_commit_callbacks)["reminded"] == 0
    assert send(until - 2 * DAY, django_capture_on_commit_callbacks)["reminded"] == 1
    assert reminders(late).count() == 2


def test_quiet_hours_hold_the_reminder_and_it_can_be_turned_off(course, django_capture_on_commit_callbacks):
    run = make_run(course)
    sleeper, unsubscribed = make_volunteer(country="NO").user, make_volunteer().user
    for person in (sleeper, unsubscribed):
        course_run_enrol(volunteer=person, course=course, run=run)
    # Quiet from 10:00 to 14:00 in Oslo, and the job runs at noon there.
    NotificationPreferences.objects.create(user=sleeper, quiet_start_hour=10, quiet_end_hour=14)
    NotificationPreferences.objects.create(user=unsubscribed, muted_kinds=["run_deadline_soon"])
    noon = (run.ends - 3 * DAY).astimezone(ZoneInfo("Europe/Oslo")).replace(hour=12, minute=0)
    result = send(noon, django_capture_on_commit_callbacks)
    assert result["waiting_for_quiet_hours_to_end"] == 1
    assert reminders(sleeper).count() == 0 and reminders(unsubscribed).count() == 0


def test_the_dashboard_names_the_waiting_list_the_volunteer_is_on(client, course):
    full = make_run(course, name="รุ่นเต็ม", seats=1)
    course_run_enrol(volunteer=make_volunteer().user, course=course, run=full)
    waiting = make_volunteer().user
    place = course_run_enrol(volunteer=waiting, course=course, run=full)
    assert place.waiting is not None
    client.login(email=waiting.email, password=PASSWORD)
    html = client.get("/learn/").content.decode()
    assert "ท่านอยู่ในรายชื่อสำรองของ “รุ่นเต็ม”" in html
    english = client.get("/en/learn/").content.decode()
    assert "You are on the waiting list of “รุ่นเต็ม”" in english
