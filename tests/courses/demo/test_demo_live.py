"""The demo shows live sessions: the refresher course (two runs, a validity period, the evaluation)
asks for one session attended; its first run met five days ago, with three of its volunteers
recorded as present, and meets again in two days; its second run's session is a month away. The
attending volunteer signs in with the demo password and sees it all; seeding again changes nothing."""

import pytest
from django.utils import timezone

from courses.demo.live import seed_live_sessions
from courses.demo.runs import COURSE_SLUG
from courses.live.models import LiveSession, SessionAttendance
from courses.models import CoursePage
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_refresher_has_runs_sessions_an_evaluation_and_a_validity_period(demo):
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="th")
    assert course.runs.count() == 2
    assert course.evaluation_required and course.certificate_valid_months == 36
    assert course.live_sessions_required == 1
    first, second = course.runs.order_by("starts")
    now = timezone.now()
    past, upcoming = LiveSession.objects.filter(run=first).order_by("starts")
    assert past.ends < now < upcoming.starts
    assert LiveSession.objects.filter(run=second, starts__gt=second.starts).count() == 1
    assert SessionAttendance.objects.filter(session=past).count() == 3


def test_seeding_the_sessions_again_changes_nothing(demo):
    before = sorted(LiveSession.objects.values_list("pk", "title", "run_id", "sequence"))
    seed_live_sessions()
    # Not even a new revision for calendars: nothing changed.
    assert sorted(LiveSession.objects.values_list("pk", "title", "run_id", "sequence")) == before
    assert SessionAttendance.objects.count() == 3


def test_the_attending_volunteer_sees_the_sessions_and_what_the_course_asks(demo, client):
    assert client.login(email="somsak.no@example.org", password=DEMO_PASSWORD)
    course = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="th")
    html = client.get(course.url).content.decode()
    assert "วงสนทนาเปิดรุ่น: ทบทวนบทบาทอาสาสมัครกับเครือข่ายไทยในนอร์เวย์" in html
    assert "(ท่านเข้าร่วมแล้ว 1 ครั้ง)" in html and "✓ เข้าร่วมแล้ว" in html
    upcoming = LiveSession.objects.get(title="ถาม-ตอบ: การส่งต่อกรณีข้ามประเทศ")
    assert "ถาม-ตอบ: การส่งต่อกรณีข้ามประเทศ" in client.get("/learn/").content.decode()
    page = client.get(f"/learn/sessions/{upcoming.pk}/").content.decode()
    assert "เวลานอร์เวย์" in page and "ตามเวลากรุงเทพฯ" in page and upcoming.meeting_url not in page
