"""Weekly digests: a trainer hears of enrolments, completions and quizzes with a low pass rate in the
courses they may edit (only theirs), staff of applicants and organisations waiting for them; one per
person and week, after their quiet hours, nothing when there is nothing to say or they opted out."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import mail
from wagtail.models import GroupPagePermission

from courses.demo.quizzes import _right_answers
from courses.learning.models import CourseCompletion, Enrollment
from courses.models import QuizAttempt
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from courses.reports.digests import digest_week, weekly_digests_send
from notifications.models import Notification, NotificationPreferences
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import make_course_tree, make_organization, make_user, make_volunteer
from training.scheduler import JOBS

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Monday 9 November 2026, 08:10 in Bangkok: the digest of 2 to 8 November goes out.
MONDAY = datetime.datetime(2026, 11, 9, 1, 10, tzinfo=UTC)
IN_WEEK = datetime.datetime(2026, 11, 4, 3, 0, tzinfo=UTC)
BEFORE = datetime.datetime(2026, 10, 30, 3, 0, tzinfo=UTC)


def trainer_of(course):
    """A trainer (the Trainers role) who may edit `course` only, by a page permission on it."""
    group = Group.objects.create(name=f"Editors of {course.title}")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=course, permission=Permission.objects.get(codename=codename)
        )
    user = make_user(group="Trainers")
    user.groups.add(group)
    return user


def finished(volunteer, quiz, *, right: bool, at: datetime.datetime) -> None:
    started = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
    attempt = quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions) if right else {})
    QuizAttempt.objects.filter(pk=attempt.pk).update(finished_at=at, started_at=at)


@pytest.fixture
def world():
    # Trainers edit only the courses they are given here (not the whole catalog, as by default).
    GroupPagePermission.objects.filter(group__name__in=["Trainers", "Lead trainers"]).delete()
    ours, module, _lesson = make_course_tree(title="หลักสูตรของครูเอ")
    quiz = add_quiz(module)
    quiz.title = "แบบทดสอบความปลอดภัย"
    quiz.save_revision().publish()
    theirs, _module, _lesson = make_course_tree(title="หลักสูตรของครูบี")
    volunteers = [make_volunteer().user for _n in range(6)]
    for volunteer in volunteers[:2]:
        Enrollment.objects.create(volunteer=volunteer, course=ours, enrolled_at=IN_WEEK)
    Enrollment.objects.create(volunteer=volunteers[2], course=ours, enrolled_at=BEFORE)  # last week
    CourseCompletion.objects.create(volunteer=volunteers[2], course=ours, completed_at=IN_WEEK)
    Enrollment.objects.create(volunteer=volunteers[3], course=theirs, enrolled_at=IN_WEEK)
    # Five finished attempts in the week, one passed: 20 %, under the 50 % threshold.
    for number, volunteer in enumerate(volunteers[:5]):
        Enrollment.objects.get_or_create(volunteer=volunteer, course=ours, defaults={"enrolled_at": BEFORE})
        finished(volunteer, quiz, right=number == 0, at=IN_WEEK)
    return {"ours": ours, "theirs": theirs, "quiz": quiz, "a": trainer_of(ours), "b": trainer_of(theirs)}


def digests(user, kind="trainer_digest"):
    return list(Notification.objects.filter(user=user, kind=kind))


def run(now, capture):
    with capture(execute=True):
        return weekly_digests_send(now=now)


def test_the_week_ends_on_monday_at_eight_in_bangkok():
    assert digest_week(MONDAY) == (datetime.datetime(2026, 11, 9, 1, 0, tzinfo=UTC), "2026-W46")
    # Monday 07:59 in Bangkok still belongs to the week before.
    assert digest_week(datetime.datetime(2026, 11, 9, 0, 59, tzinfo=UTC))[1] == "2026-W45"
    assert JOBS["weekly_digests"].every == datetime.timedelta(hours=1)


def test_a_trainer_hears_of_their_own_courses_only(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    run(MONDAY, django_capture_on_commit_callbacks)
    [notification] = digests(world["a"])
    assert notification.key == "2026-W46"
    context = notification.context
    assert (context["enrolments"], context["completions"]) == (2, 1)
    assert [row["title"] for row in context["courses"]] == ["หลักสูตรของครูเอ"]
    [low] = context["quizzes"]
    assert (low["title"], low["attempts"], low["passed"], low["percent"]) == ("แบบทดสอบความปลอดภัย", 5, 1, 20)
    [message] = [m for m in mail.outbox if m.to == [world["a"].email]]
    assert message.subject == "หลักสูตรของคุณในสัปดาห์นี้: ลงทะเบียนเรียน 2 คน เรียนจบ 1 คน"
    assert "หลักสูตรของครูบี" not in message.body
    assert f"{settings.SITE_URL}/admin/courses/quiz/{world['quiz'].pk}/statistics/" in message.body
    assert f"{settings.SITE_URL}/admin/reports/quiz-results/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Trainer B: one enrolment in their course, no quiz.
    [other] = digests(world["b"])
    assert [row["title"] for row in other.context["courses"]] == ["หลักสูตรของครูบี"]
    assert other.context["quizzes"] == []


def test_one_digest_per_week_and_none_when_there_is_nothing(world, django_capture_on_commit_callbacks):
    run(MONDAY, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # The hourly runs of the same Monday send nothing more.
    for hours in (1, 5, 23):
        run(MONDAY + datetime.timedelta(hours=hours), django_capture_on_commit_callbacks)
    # Wednesday: not a digest day.
    assert (
        run(MONDAY + datetime.timedelta(days=2), django_capture_on_commit_callbacks)["trainer_digests"] == 0
    )
    # The next Monday: nothing happened in the week, so nothing is sent.
    run(MONDAY + datetime.timedelta(weeks=1), django_capture_on_commit_callbacks)
    assert len(digests(world["a"])) == 1 and len(digests(world["b"])) == 1
    assert mail.outbox == []


def test_a_trainer_who_turned_it_off_gets_none(world, django_capture_on_commit_callbacks):
    NotificationPreferences.objects.create(user=world["a"], muted_kinds=["trainer_digest"])
    run(MONDAY, django_capture_on_commit_callbacks)
    assert digests(world["a"]) == [] and len(digests(world["b"])) == 1


def test_staff_hear_of_applicants_and_organisations_waiting(django_capture_on_commit_callbacks):
    staff = make_user(group="Staff")
    quiet = make_user(group="Staff")
    NotificationPreferences.objects.create(user=quiet, quiet_start_hour=6, quiet_end_hour=12)
    # Nothing waits: nothing is sent.
    run(MONDAY, django_capture_on_commit_callbacks)
    assert digests(staff, "staff_digest") == []

    required, _module, _lesson = make_course_tree(title="หลักสูตรบังคับ")
    required.required_for_registration = True
    required.save_revision().publish()
    ready, _waiting = make_volunteer().user, make_volunteer().user
    CourseCompletion.objects.create(volunteer=ready, course=required, completed_at=IN_WEEK)
    make_organization(name_th="สมาคมไทยในออสโล", is_confirmed=False)
    make_organization(name_th="มูลนิธิที่ยืนยันแล้ว")
    mail.outbox.clear()
    later = MONDAY + datetime.timedelta(weeks=1)
    result = run(later, django_capture_on_commit_callbacks)
    assert result["staff_digests"] == 1 and result["waiting_for_quiet_hours_to_end"] == 1
    [notification] = digests(staff, "staff_digest")
    assert notification.context["applicants_ready"] == 1
    assert notification.context["applicants_waiting"] == 2
    assert notification.context["organisations_to_confirm"] == 1
    [message] = mail.outbox
    assert message.subject == "รอเจ้าหน้าที่ดำเนินการ: ผู้สมัครรอขึ้นทะเบียน 1 คน องค์กรรอยืนยัน 1 แห่ง"
    assert (
        f"{settings.SITE_URL}/admin/snippets/volunteers/organization/?is_confirmed=false" in message.body
        or ("?is_confirmed=false" in message.body)
    )
    # The staff member quiet from 06:00 to 12:00 in Bangkok gets theirs at 12:10.
    assert digests(quiet, "staff_digest") == []
    run(later + datetime.timedelta(hours=4), django_capture_on_commit_callbacks)
    assert len(digests(quiet, "staff_digest")) == 1 and len(digests(staff, "staff_digest")) == 1
