"""The admin home for staff: who is ready to register, registered volunteers, this month's
completions and certificates, volunteers by country; other roles see none of it."""

import datetime

import pytest
from django.utils import timezone

from courses.learning.services import course_completion_record, course_enrol
from courses.reports.dashboard import applicants_ready_to_register, month_start
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer
from volunteers.services import volunteer_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def required_course():
    course = make_course_tree(title="Orientation", slug="orientation")[0]
    course.required_for_registration = True
    course.save_revision().publish()
    return course


def complete(profile, course, when=None):
    course_enrol(volunteer=profile.user, course=course)
    course_completion_record(volunteer=profile.user, course=course, completed_at=when)


def test_only_applicants_who_completed_every_required_course_are_ready(required_course):
    other = make_course_tree(title="Other required", slug="other")[0]
    other.required_for_registration = True
    other.save_revision().publish()
    ready = make_volunteer(given_name_th="พร้อม", country="NO")
    half = make_volunteer(given_name_th="ครึ่ง", country="NO")
    done_registered = make_volunteer(given_name_th="ลงทะเบียนแล้ว", country="SE")
    for course in (required_course, other):
        complete(ready, course)
        complete(done_registered, course)
    complete(half, required_course)
    volunteer_register(profile=done_registered, actor=make_user(group="Staff"))
    assert list(applicants_ready_to_register()) == [ready]


def test_staff_see_the_panels_with_a_register_link(client, required_course):
    staff = make_user(group="Staff")
    profile = make_volunteer(given_name_th="กัญญา", country="NO")
    complete(profile, required_course)
    last_month = month_start() - datetime.timedelta(days=3)
    complete(make_volunteer(country="SE"), required_course, when=last_month)
    client.login(email=staff.email, password=PASSWORD)
    page = client.get("/admin/").content.decode()
    assert "กัญญา" in page
    assert f"/admin/bulk/volunteers/volunteerprofile/register/?id={profile.pk}" in page
    assert "/admin/reports/completions/?completed_at_from=" in page
    assert "นอร์เวย์" in page or "Norway" in page
    assert 'id="certificates-month-heading"' in page


def test_trainers_see_no_staff_panels(client, required_course):
    profile = make_volunteer(given_name_th="กัญญา", country="NO")
    complete(profile, required_course)
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    page = client.get("/admin/").content.decode()
    assert "กัญญา" not in page
    assert 'id="registration-ready-heading"' not in page
    assert 'id="certificates-month-heading"' not in page


def test_the_month_starts_at_midnight_in_bangkok():
    moment = datetime.datetime(2026, 11, 30, 17, 30, tzinfo=datetime.UTC)  # 1 December 00:30 in Bangkok
    start = month_start(moment)
    assert (start.month, start.day, start.hour) == (12, 1, 0)
    assert start.astimezone(datetime.UTC) == datetime.datetime(2026, 11, 30, 17, 0, tzinfo=datetime.UTC)
    assert timezone.is_aware(start)


def test_an_applicant_whose_required_certificate_expired_is_not_ready(required_course):
    """The registration screen says such an applicant misses a requirement; the "ready to register"
    list must agree (it once listed them, having counted completions only)."""
    from certificates.models import Certificate
    from volunteers.registration import registration_missing

    current = make_volunteer(given_name_th="ปัจจุบัน", country="NO")
    lapsed = make_volunteer(given_name_th="หมดอายุ", country="NO")
    for profile in (current, lapsed):
        complete(profile, required_course)
    Certificate.objects.filter(volunteer=lapsed.user).update(
        valid_until=timezone.now() - datetime.timedelta(days=1)
    )
    assert Certificate.objects.filter(volunteer=lapsed.user).exists()
    assert list(applicants_ready_to_register()) == [current]
    assert registration_missing(lapsed) and not registration_missing(current)
