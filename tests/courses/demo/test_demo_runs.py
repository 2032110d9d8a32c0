"""The demo shows course runs: the refresher course has a run under way, full, with one volunteer
waiting, and a later run taking enrolments, which the demo volunteer sees on the course page and
enrols in; seeding again changes nothing."""

import pytest
from django.utils import timezone

from courses.demo.runs import COURSE_SLUG, FIRST_RUN_SEATS, seed_runs
from courses.learning.models import CourseRun, Enrollment, RunWaitlistEntry
from courses.models import CoursePage
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def runs():
    return list(CourseRun.objects.filter(course__slug=COURSE_SLUG).order_by("starts"))


def test_the_refresher_has_a_full_run_under_way_with_a_waiting_list_and_a_later_run(demo):
    first, later = runs()
    now = timezone.now()
    assert first.starts < now < first.ends and first.is_open_for_enrolment()
    assert Enrollment.objects.filter(run=first).count() == FIRST_RUN_SEATS == first.seats
    assert RunWaitlistEntry.objects.filter(run=first).count() == 1
    assert later.starts > now and later.is_open_for_enrolment()
    assert first.name.startswith("รุ่นที่ 1 / 25") and later.name.startswith("รุ่นที่ 2 / 25")


def test_seeding_the_runs_again_changes_nothing(demo):
    before = [(run.pk, run.name, run.seats) for run in runs()]
    seed_runs()
    assert [(run.pk, run.name, run.seats) for run in runs()] == before
    assert Enrollment.objects.filter(run__course__slug=COURSE_SLUG).count() == FIRST_RUN_SEATS
    assert RunWaitlistEntry.objects.count() == 1


def test_the_demo_volunteer_sees_both_runs_and_enrols_in_the_later_one(demo, client):
    assert client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="th")
    first, later = runs()
    html = client.get(course.url).content.decode()
    assert first.name in html and later.name in html
    assert "ลงชื่อสำรอง" in html and "ลงทะเบียนเรียนรุ่นนี้" in html
    response = client.post(f"/learn/courses/{course.pk}/enrol/", {"run": str(later.pk)})
    assert response.status_code == 302
    assert Enrollment.objects.get(volunteer__email="volunteer@example.org", course=course).run == later
