"""Course runs through the pages: the course page offers the open runs with their dates and seats,
enrolling names a run (a closed, restricted or foreign run posted by id is refused), the waiting
list, the dashboard's deadline and days left, staff enrolment into a run, staff moves and
extensions (audited, staff only), and the reports' run filter."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.learning.models import Enrollment, RunWaitlistEntry
from courses.learning.services import course_enrol, course_run_enrol, lesson_complete
from tests.courses.learning.run_helpers import DAY, make_run
from tests.factories import PASSWORD, english_admin, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_course_tree(title="Referral")


def signed_in(client, **profile):
    user = make_volunteer(**profile).user
    client.force_login(user)
    return user


def enrol_url(course):
    return f"/learn/courses/{course.pk}/enrol/"


def test_the_course_page_offers_the_open_runs_with_dates_and_seats_left_in_thai(client, tree):
    course, _module, _lesson = tree
    open_run = make_run(course, name="รุ่นที่ 3 / 2570", seats=10)
    make_run(course, name="closed run", opens_in=-20, closes_in=-10)
    course_enrol(volunteer=make_volunteer().user, course=course)
    signed_in(client)
    html = client.get(course.url).content.decode()
    assert "รุ่นที่ 3 / 2570" in html and "closed run" not in html
    assert "เหลือ 9 ที่นั่ง" in html
    assert f'name="run" value="{open_run.pk}"' in html
    # Thai dates: Buddhist Era years.
    assert str(open_run.ends.year + 543) in html


def test_a_visitor_sees_the_runs_and_the_sign_in_button_only(client, tree):
    course, _module, _lesson = tree
    make_run(course, name="รุ่นที่ 1 / 2570")
    html = client.get(course.url).content.decode()
    assert "รุ่นที่ 1 / 2570" in html and 'name="run"' not in html


def test_enrolling_from_the_course_page_names_the_run_and_the_dashboard_shows_the_deadline(client, tree):
    course, _module, _lesson = tree
    run = make_run(course, name="รุ่นที่ 1 / 2570", closes_in=3)
    run.ends = timezone.now() + 12 * DAY + DAY / 2
    run.save()
    user = signed_in(client, country="NO")
    response = client.post(enrol_url(course), {"run": str(run.pk)})
    assert response.status_code == 302
    assert Enrollment.objects.get(volunteer=user).run == run
    html = client.get("/learn/").content.decode()
    assert "รุ่นที่ 1 / 2570" in html
    assert re.search(r"เหลืออีก 1[23] วัน", html)
    assert str(run.ends.year + 543) in html


def test_a_closed_or_restricted_run_posted_by_id_is_refused(client, tree):
    course, _module, _lesson = tree
    closed = make_run(course, name="closed", opens_in=-20, closes_in=-10)
    for_sweden = make_run(course, name="sweden", country="SE")
    user = signed_in(client, country="NO")
    for run, message in (
        (closed, "รุ่นนี้ไม่ได้เปิดรับสมัครในขณะนี้"),
        (for_sweden, "รุ่นนี้สำหรับอาสาสมัครของประเทศหรือองค์กรอื่น"),
    ):
        response = client.post(enrol_url(course), {"run": str(run.pk)}, follow=True)
        assert message in response.content.decode()
    assert not Enrollment.objects.filter(volunteer=user).exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1" * 40])
def test_a_run_that_is_not_the_courses_is_a_translated_400(client, tree, value):
    course, _module, _lesson = tree
    make_run(course)
    other, _m, _l = make_course_tree(title="Other")
    foreign = make_run(other)
    user = signed_in(client)
    for posted in (value, str(foreign.pk)):
        response = client.post(enrol_url(course), {"run": posted})
        assert response.status_code == 400
        assert "รุ่นนี้ไม่ได้อยู่ในหลักสูตรนี้" in response.content.decode()
    assert not Enrollment.objects.filter(volunteer=user).exists()


def test_enrolling_needs_the_csrf_token(tree):
    course, _module, _lesson = tree
    run = make_run(course)
    client = Client(enforce_csrf_checks=True)
    user = make_volunteer().user
    client.force_login(user)
    assert client.post(enrol_url(course), {"run": str(run.pk)}).status_code == 403
    assert not Enrollment.objects.exists()


def test_a_full_run_offers_the_waiting_list_and_tells_the_volunteer_their_place(client, tree):
    course, _module, _lesson = tree
    run = make_run(course, name="full", seats=1)
    course_enrol(volunteer=make_volunteer().user, course=course)
    user = signed_in(client)
    html = client.get(course.url).content.decode()
    assert "ลงชื่อสำรอง" in html
    response = client.post(enrol_url(course), {"run": str(run.pk)}, follow=True)
    assert "รายชื่อสำรองลำดับที่ 1" in response.content.decode()
    assert RunWaitlistEntry.objects.filter(volunteer=user, run=run).exists()
    assert not Enrollment.objects.filter(volunteer=user).exists()
    assert "คุณอยู่ในรายชื่อสำรอง" in client.get(course.url).content.decode()


def test_a_course_without_runs_enrols_from_the_plain_button(client, tree):
    course, _module, _lesson = tree
    user = signed_in(client)
    assert 'name="run"' not in client.get(course.url).content.decode()
    assert client.post(enrol_url(course)).status_code == 302
    assert Enrollment.objects.get(volunteer=user).run is None


# --- Staff -----------------------------------------------------------------------------------------


@pytest.fixture
def staff(client):
    user = english_admin(make_user(group="Staff"))
    client.login(email=user.email, password=PASSWORD)
    return user


def bulk_url(*profiles):
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "enrol_in_course"])
    return url + "?" + "&".join(f"id={profile.pk}" for profile in profiles)


def test_staff_bulk_enrolment_into_a_course_with_runs_needs_a_run_of_that_course(client, staff, tree):
    course, _module, _lesson = tree
    run = make_run(course, seats=1, opens_in=3, closes_in=10)
    other, _m, _l = make_course_tree(title="Other")
    foreign = make_run(other)
    first, second = make_volunteer(), make_volunteer()
    for data in ({"course": course.pk}, {"course": course.pk, "run": foreign.pk}):
        response = client.post(bulk_url(first, second), data)
        assert response.status_code == 200
        assert not Enrollment.objects.exists()
    response = client.post(bulk_url(first, second), {"course": course.pk, "run": run.pk})
    assert response.status_code == 302
    # One seat: the first is enrolled (outside the window: staff may), the second waits.
    assert Enrollment.objects.filter(run=run).count() == 1
    assert RunWaitlistEntry.objects.filter(run=run).count() == 1


def test_staff_enrol_a_csv_into_a_run_and_see_who_waits(client, staff, tree):
    course, _module, _lesson = tree
    run = make_run(course, seats=1)
    make_volunteer(email="one@example.org")
    make_volunteer(email="two@example.org")
    upload = SimpleUploadedFile("people.csv", b"one@example.org\ntwo@example.org\n")
    response = client.post("/admin/courses/enrol/", {"course": course.pk, "run": run.pk, "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "enrol-enrolled" in html and "enrol-waiting" in html


def test_staff_move_a_volunteer_to_a_later_run_and_extend_a_deadline(client, staff, tree):
    course, _module, _lesson = tree
    first = make_run(course, name="first")
    later = make_run(course, name="later", opens_in=5, closes_in=20)
    person = make_volunteer().user
    enrolment, _created = course_enrol(volunteer=person, course=course, run=first)
    url = reverse("courses_enrolment_run", args=[enrolment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "later" in page.content.decode()
    assert client.post(url, {"action": "move", "run": later.pk}).status_code == 302
    assert Enrollment.objects.get(pk=enrolment.pk).run == later
    until = (timezone.now() + 100 * DAY).strftime("%Y-%m-%d %H:%M")
    assert client.post(url, {"action": "extend", "until": until}).status_code == 302
    assert Enrollment.objects.get(pk=enrolment.pk).deadline_extended_to is not None
    assert (
        ModelLogEntry.objects.filter(action__in=["courses.run_move", "courses.deadline_extend"]).count() == 2
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "nonsense"},
        {"action": "move", "run": "abc"},
        {"action": "extend", "until": "2569-01-01 10:00"},
    ],
)
def test_bad_input_to_the_move_page_is_a_400_and_changes_nothing(client, staff, tree, data):
    course, _module, _lesson = tree
    run = make_run(course)
    enrolment, _created = course_enrol(volunteer=make_volunteer().user, course=course, run=run)
    response = client.post(reverse("courses_enrolment_run", args=[enrolment.pk]), data)
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.run == run and enrolment.deadline_extended_to is None


def test_a_move_into_a_run_of_another_course_is_refused(client, staff, tree):
    course, _module, _lesson = tree
    run = make_run(course)
    other, _m, _l = make_course_tree(title="Other")
    foreign = make_run(other)
    enrolment, _created = course_enrol(volunteer=make_volunteer().user, course=course, run=run)
    response = client.post(
        reverse("courses_enrolment_run", args=[enrolment.pk]), {"action": "move", "run": foreign.pk}
    )
    assert response.status_code == 400
    assert Enrollment.objects.get(pk=enrolment.pk).run == run


def test_volunteers_and_trainers_cannot_move_an_enrolment(tree):
    course, _module, _lesson = tree
    first, later = make_run(course, name="first"), make_run(course, name="later")
    owner = make_volunteer().user
    enrolment, _created = course_enrol(volunteer=owner, course=course, run=first)
    url = reverse("courses_enrolment_run", args=[enrolment.pk])
    for user in (make_volunteer().user, owner, make_user(group="Trainers")):
        client = Client()
        client.force_login(user)
        response = client.post(url, {"action": "move", "run": later.pk})
        assert response.status_code == 302 and "/admin/" in response["Location"]
    assert Enrollment.objects.get(pk=enrolment.pk).run == first


def test_the_reports_filter_by_run_and_show_it(client, staff, tree):
    course, _module, lesson = tree
    first, second = make_run(course, name="รุ่น A"), make_run(course, name="รุ่น B")
    a = make_volunteer(given_name_th="เอ", family_name_th="หนึ่ง").user
    b = make_volunteer(given_name_th="บี", family_name_th="สอง").user
    course_run_enrol(volunteer=a, course=course, run=first)
    course_run_enrol(volunteer=b, course=course, run=second)
    for person in (a, b):
        lesson_complete(volunteer=person, lesson=lesson)
    for url in ("/admin/reports/completions/", "/admin/reports/progress/"):
        html = client.get(url, {"run": first.pk}).content.decode()
        assert "เอ หนึ่ง" in html and "บี สอง" not in html
        assert "รุ่น A" in html
        assert client.get(url, {"run": "abc"}).status_code == 200  # a form error, as the other filters


def run_form(course, **changes) -> dict:
    return {
        "course": course.pk,
        "name": "รุ่นที่ 3 / 2570",
        "enrolment_opens": "2027-01-05 09:00",
        "enrolment_closes": "2027-01-31 17:00",
        "starts": "2027-02-01 09:00",
        "ends": "2027-03-31 17:00",
        "seats": "25",
        "country": "",
        "organization": "",
        **changes,
    }


def test_staff_add_a_run_in_the_admin_and_a_buddhist_era_year_is_refused(client, staff, tree):
    from courses.learning.models import CourseRun

    course, _module, _lesson = tree
    url = "/admin/snippets/courses/courserun/add/"
    response = client.post(url, run_form(course, ends="2570-03-31 17:00"))
    assert response.status_code == 200 and not CourseRun.objects.exists()
    assert "Buddhist Era" in response.content.decode()
    response = client.post(url, run_form(course))
    assert response.status_code == 302
    run = CourseRun.objects.get()
    assert run.seats == 25 and run.course_id == course.pk
    # Entered in the admin's zone (Bangkok), kept in UTC.
    assert run.starts.astimezone(datetime.UTC).hour == 2
