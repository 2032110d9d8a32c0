"""Course reminders: time is driven forward by passing the job fixed clocks. A volunteer enrolled and
idle for the course's 14 days is reminded once, in their language, outside their quiet hours (in
their own time zone), with a link to where they stopped; the job run again sends nothing more; the
unsubscribe link (the page's button, or the mail program's RFC 8058 one-click POST) stops the next;
a reminder pointing at a sensitive lesson never names it."""

import datetime
import re
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from courses.learning.models import Enrollment, LessonProgress
from courses.learning.reminders import course_reminders_send
from courses.learning.services import course_enrol, lesson_complete
from courses.models import LessonPage
from notifications.models import Notification, NotificationPreferences
from notifications.rendering import notification_line
from tests.factories import make_course_tree, make_volunteer
from training.notices import kind_get, unsubscribe_token
from training.scheduler import JOBS, tick

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Sixty days ago at 09:00 UTC, the volunteer enrolled and did the first lesson (the job's clocks
# stay in the past, as a real run's would).
START = (timezone.now() - datetime.timedelta(days=60)).replace(hour=9, minute=0, second=0, microsecond=0)
SENSITIVE_TITLE = "การฆ่าตัวตายและการล่วงละเมิดทางเพศ: สัญญาณเตือน"


def days(number: float, hours: float = 0) -> datetime.datetime:
    return START + datetime.timedelta(days=number, hours=hours)


@pytest.fixture
def course():
    """A course of two lessons; the second one is sensitive (as the demo's lessons on suicide and
    abuse are)."""
    course, module, first = make_course_tree(title="การเตรียมตัวก่อนเดินทาง")
    second = LessonPage(
        title=SENSITIVE_TITLE,
        slug="warning-signs",
        is_sensitive=True,
        body=[{"type": "text", "value": "<p>Lesson text</p>"}],
    )
    module.add_child(instance=second)
    second.save_revision().publish()
    return course, first, second


def idle_volunteer(course, first, **profile):
    """Enrolled at START, first lesson done an hour later, then nothing."""
    volunteer = make_volunteer(**profile).user
    course_enrol(volunteer=volunteer, course=course)
    lesson_complete(volunteer=volunteer, lesson=first)
    Enrollment.objects.filter(volunteer=volunteer).update(enrolled_at=START)
    LessonProgress.objects.filter(volunteer=volunteer).update(completed_at=days(0, hours=1))
    return volunteer


def run(now, capture):
    with capture(execute=True):
        return course_reminders_send(now=now)


def reminders(volunteer):
    return list(Notification.objects.filter(user=volunteer, kind="course_reminder"))


def test_the_job_runs_hourly():
    job = JOBS["course_reminders"]
    assert job.every == datetime.timedelta(hours=1)


def test_an_idle_volunteer_is_reminded_once_in_their_language_after_their_quiet_hours(
    course, django_capture_on_commit_callbacks
):
    course, first, second = course
    # A volunteer in Tokyo (UTC+9 all year), reading in English, quiet from 22:00 to 07:00 there.
    volunteer = idle_volunteer(course, first, preferred_language="en", time_zone="Asia/Tokyo")
    NotificationPreferences.objects.create(user=volunteer, quiet_start_hour=22, quiet_end_hour=7)
    mail.outbox.clear()

    # Thirteen days and 22 hours idle: too early.
    assert run(days(14, hours=-2), django_capture_on_commit_callbacks)["reminded"] == 0
    # Fourteen days idle, at 14:05 UTC: 23:05 in Tokyo, inside the quiet hours. It waits.
    result = run(days(14, hours=5 + 5 / 60), django_capture_on_commit_callbacks)
    assert result == {"reminded": 0, "waiting_for_quiet_hours_to_end": 1}
    # 21:05 UTC is 06:05 in Tokyo: still quiet (it would not be in Bangkok, 04:05 there).
    assert run(days(14, hours=12 + 5 / 60), django_capture_on_commit_callbacks)["reminded"] == 0
    assert reminders(volunteer) == [] and mail.outbox == []
    # 22:05 UTC is 07:05 in Tokyo: the quiet hours are over.
    assert run(days(14, hours=13 + 5 / 60), django_capture_on_commit_callbacks)["reminded"] == 1

    [notification] = reminders(volunteer)
    assert notification.shown_at and notification.emailed_at
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert message.subject == "Continue your course “การเตรียมตัวก่อนเดินทาง”"
    assert "You have not continued the course" in message.body and "14 days" in message.body
    # One click leads back to where they stopped: the second lesson (the first is done).
    link = f"{settings.SITE_URL}/en/learn/courses/{course.pk}/continue/"
    assert link in message.body
    html, _type = message.alternatives[0]
    assert f'href="{link}"' in html
    reader = Client()
    reader.force_login(volunteer)
    assert reader.get(link.removeprefix(settings.SITE_URL))["Location"] == second.url

    # Run again, an hour later and a month later while still idle: nothing more.
    for moment in (days(14, hours=13 + 5 / 60), days(14, hours=15), days(45)):
        assert run(moment, django_capture_on_commit_callbacks)["reminded"] == 0
    assert len(reminders(volunteer)) == 1 and len(mail.outbox) == 1


def test_a_thai_reader_is_reminded_in_thai(course, django_capture_on_commit_callbacks):
    course, first, _second = course
    idle_volunteer(course, first, preferred_language="th")
    mail.outbox.clear()
    run(days(14, hours=2), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "เรียนหลักสูตร “การเตรียมตัวก่อนเดินทาง” ต่อให้จบ"
    assert "คุณไม่ได้เข้าเรียนหลักสูตร" in message.body


def test_new_activity_starts_a_new_stretch_with_its_own_reminder(course, django_capture_on_commit_callbacks):
    course, first, _second = course
    volunteer = idle_volunteer(course, first)
    run(days(14, hours=2), django_capture_on_commit_callbacks)
    assert len(reminders(volunteer)) == 1
    # They came back on day 20 (did something in the course), then stopped again.
    LessonProgress.objects.filter(volunteer=volunteer).update(completed_at=days(20))
    assert run(days(30), django_capture_on_commit_callbacks)["reminded"] == 0  # ten days idle
    assert run(days(34, hours=1), django_capture_on_commit_callbacks)["reminded"] == 1
    assert len(reminders(volunteer)) == 2


def test_a_reminder_for_a_sensitive_lesson_names_no_topic(course, django_capture_on_commit_callbacks):
    course, first, second = course
    for language in ("th", "en"):
        volunteer = idle_volunteer(course, first, preferred_language=language)
        mail.outbox.clear()
        run(days(14, hours=2), django_capture_on_commit_callbacks)
        [message] = mail.outbox
        html, _type = message.alternatives[0]
        [notification] = reminders(volunteer)
        line = notification_line(notification, kind_get("course_reminder"), language)
        for text in (message.subject, message.body, html, line, str(notification.context)):
            assert SENSITIVE_TITLE not in text
            assert "ฆ่าตัวตาย" not in text and "ล่วงละเมิด" not in text
        # Not even the lesson's address, whose slug may name the topic; the link still leads there.
        assert "warning-signs" not in message.body + html + str(notification.context)
        reader = Client()
        reader.force_login(volunteer)
        continue_path = notification.context["link"][language]
        assert reader.get(continue_path)["Location"] == second.url
        # The course is named.
        assert "การเตรียมตัวก่อนเดินทาง" in message.subject and "การเตรียมตัวก่อนเดินทาง" in line
        Enrollment.objects.filter(volunteer=volunteer).delete()


def test_a_step_that_is_not_sensitive_is_named(django_capture_on_commit_callbacks):
    course, module, first = make_course_tree(title="หลักสูตรทั่วไป")
    second = LessonPage(
        title="การเปิดบัญชีธนาคาร", slug="bank", body=[{"type": "text", "value": "<p>Lesson text</p>"}]
    )
    module.add_child(instance=second)
    second.save_revision().publish()
    idle_volunteer(course, first, preferred_language="th")
    mail.outbox.clear()
    run(days(14, hours=2), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "การเปิดบัญชีธนาคาร" in message.body
    assert "การเปิดบัญชีธนาคาร" not in message.subject  # the subject names the course only


def test_a_completed_course_and_a_course_without_reminders_send_none(
    course, django_capture_on_commit_callbacks
):
    course, first, second = course
    finished = idle_volunteer(course, first)
    lesson_complete(volunteer=finished, lesson=second)
    other, _module, _lesson = make_course_tree(title="ไม่เตือน")
    other.remind_after_days = 0
    other.save_revision().publish()
    never = make_volunteer().user
    course_enrol(volunteer=never, course=other)
    Enrollment.objects.filter(volunteer=never).update(enrolled_at=START)
    mail.outbox.clear()
    assert run(days(100), django_capture_on_commit_callbacks)["reminded"] == 0
    assert mail.outbox == [] and not Notification.objects.filter(kind="course_reminder").exists()


def test_a_shorter_setting_reminds_sooner(course, django_capture_on_commit_callbacks):
    course, first, _second = course
    course.remind_after_days = 3
    course.save_revision().publish()
    volunteer = idle_volunteer(course, first)
    assert run(days(3, hours=2), django_capture_on_commit_callbacks)["reminded"] == 1
    assert len(reminders(volunteer)) == 1


def unsubscribe_url(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https?://[^>]+)>", header).group(1)
    assert url in message.body  # the same link, in the message for people
    return url.removeprefix(settings.SITE_URL)


def test_unsubscribing_by_the_page_stops_the_next_reminder(course, django_capture_on_commit_callbacks):
    course, first, _second = course
    volunteer = idle_volunteer(course, first, preferred_language="en")
    mail.outbox.clear()
    run(days(14, hours=2), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    path = unsubscribe_url(message)
    assert path.startswith("/en/learn/notifications/unsubscribe/")

    browser = Client(enforce_csrf_checks=True)  # not signed in
    page = browser.get(path)
    assert page.status_code == 200
    assert "Reminders about courses you have not finished" in page.content.decode()
    assert '<form method="post">' in page.content.decode()
    # Opening the link (as a mail scanner does) turns nothing off.
    assert not NotificationPreferences.objects.filter(user=volunteer).exists()
    done = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "you will no longer receive" in done.content.decode()
    assert NotificationPreferences.objects.get(user=volunteer).muted_kinds == ["course_reminder"]

    # Back on day 20, idle again for 14 days: no reminder.
    LessonProgress.objects.filter(volunteer=volunteer).update(completed_at=days(20))
    mail.outbox.clear()
    run(days(40), django_capture_on_commit_callbacks)
    assert mail.outbox == [] and len(reminders(volunteer)) == 1


def test_the_one_click_post_of_rfc_8058_unsubscribes_at_once(course, django_capture_on_commit_callbacks):
    course, first, _second = course
    volunteer = idle_volunteer(course, first)
    mail.outbox.clear()
    run(days(14, hours=2), django_capture_on_commit_callbacks)
    path = unsubscribe_url(mail.outbox[0])
    provider = Client(enforce_csrf_checks=True)  # the mail provider: no session, no CSRF token
    response = provider.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert NotificationPreferences.objects.get(user=volunteer).muted_kinds == ["course_reminder"]
    # Again: still off, still fine.
    assert (
        provider.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )

    LessonProgress.objects.filter(volunteer=volunteer).update(completed_at=days(20))
    mail.outbox.clear()
    run(days(40), django_capture_on_commit_callbacks)
    assert mail.outbox == [] and len(reminders(volunteer)) == 1


@pytest.mark.parametrize(
    ("prefix", "text"),
    [("", "ลิงก์นี้ใช้ไม่ได้"), ("/en", "This link does not work")],
)
def test_a_tampered_unsubscribe_link_gets_a_translated_400(prefix, text):
    volunteer = make_volunteer().user
    token = unsubscribe_token(volunteer.pk, "course_reminder")
    client = Client(enforce_csrf_checks=True)
    for bad in (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "nonsense",
        token.replace(":", "."),
    ):
        for method in (client.get, client.post):
            response = method(f"{prefix}/learn/notifications/unsubscribe/{bad}/")
            assert response.status_code == 400
            assert text in response.content.decode()
    # A valid signature for a kind that cannot be turned off is refused too.
    transactional = unsubscribe_token(volunteer.pk, "certificate_issued")
    assert client.post(f"/learn/notifications/unsubscribe/{transactional}/").status_code == 400
    assert not NotificationPreferences.objects.filter(user=volunteer).exists()


def test_a_quiz_attempt_is_activity_too(course, django_capture_on_commit_callbacks):
    from courses.demo.quizzes import _right_answers
    from courses.models import QuizAttempt
    from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
    from tests.courses.quizzes.quiz_helpers import add_quiz

    course, first, _second = course
    quiz = add_quiz(first.get_parent())
    volunteer = idle_volunteer(course, first)
    started = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
    attempt = quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions))
    QuizAttempt.objects.filter(pk=attempt.pk).update(started_at=days(10), finished_at=days(10, hours=1))
    # Fourteen days after the lesson, but four after the quiz: not idle.
    assert run(days(14, hours=2), django_capture_on_commit_callbacks)["reminded"] == 0
    assert run(days(24, hours=2), django_capture_on_commit_callbacks)["reminded"] == 1


def test_the_scheduler_runs_the_reminder_and_digest_jobs():
    outcomes = tick(
        now=timezone.now(), jobs={name: JOBS[name] for name in ("course_reminders", "weekly_digests")}
    )
    assert sorted((outcome.job, outcome.action) for outcome in outcomes) == [
        ("course_reminders", "ran"),
        ("weekly_digests", "ran"),
    ]


def test_the_setting_is_in_the_course_settings_tab(client):
    from tests.factories import english_admin, make_user

    course, _module, _lesson = make_course_tree(title="ตั้งค่า")
    admin = english_admin(make_user(group="Trainers"))
    client.force_login(admin)
    page = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert 'name="remind_after_days"' in page and 'value="14"' in page
    assert "0: never remind." in page


def test_the_link_of_a_deleted_account_gets_a_400_not_a_500():
    volunteer = make_volunteer().user
    token = unsubscribe_token(volunteer.pk, "course_reminder")
    volunteer.delete()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/learn/notifications/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_one_failing_reminder_does_not_stop_the_others(
    course, monkeypatch, django_capture_on_commit_callbacks
):
    from courses.learning import reminders as module

    course, first, _second = course
    broken, fine = idle_volunteer(course, first), idle_volunteer(course, first)
    real = module.reminder_context

    def context(*, course, volunteer):
        if volunteer.pk == broken.pk:
            raise RuntimeError("a page could not be read")
        return real(course=course, volunteer=volunteer)

    monkeypatch.setattr(module, "reminder_context", context)
    assert run(days(14, hours=2), django_capture_on_commit_callbacks)["reminded"] == 1
    assert reminders(broken) == [] and len(reminders(fine)) == 1
    # Once it works again, the next run reminds the one that failed.
    monkeypatch.setattr(module, "reminder_context", real)
    assert run(days(14, hours=3), django_capture_on_commit_callbacks)["reminded"] == 1
    assert len(reminders(broken)) == 1
