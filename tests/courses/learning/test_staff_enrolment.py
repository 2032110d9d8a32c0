"""Staff enrol many volunteers at once (a bulk action or a CSV of emails); volunteers get an email,
the action is audited, and the record view shows each volunteer's enrolments and progress."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.learning.services import course_enrol, lesson_complete
from courses.models import Enrollment
from tests.factories import PASSWORD, english_admin, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

CSV_URL = "/admin/courses/enrol/"


@pytest.fixture
def staff(client):
    user = english_admin(make_user(group="Staff"))
    client.login(email=user.email, password=PASSWORD)
    return user


def bulk_url(*profiles):
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "enrol_in_course"])
    return url + "?" + "&".join(f"id={profile.pk}" for profile in profiles)


def test_staff_enrol_selected_volunteers_who_get_an_email_and_it_is_audited(
    client, staff, django_capture_on_commit_callbacks
):
    course, _module, _lesson = make_course_tree(title="Orientation")
    first, second = make_volunteer(given_name_th="หนึ่ง"), make_volunteer(given_name_th="สอง")
    confirm = client.get(bulk_url(first, second))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "หนึ่ง" in html and 'name="course"' in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(bulk_url(first, second), {"course": course.pk})
    assert response.status_code == 302
    for profile in (first, second):
        enrolment = Enrollment.objects.get(volunteer=profile.user, course=course)
        assert enrolment.source == Enrollment.Source.STAFF and enrolment.enrolled_by == staff
    assert sorted(message.to[0] for message in mail.outbox) == sorted([first.user.email, second.user.email])
    assert "Orientation" in mail.outbox[0].body and course.url in mail.outbox[0].body
    assert ModelLogEntry.objects.filter(action="courses.enrol", user=staff).count() == 2


def test_the_bulk_action_needs_a_course(client, staff):
    profile = make_volunteer()
    response = client.post(bulk_url(profile), {"course": ""})
    assert response.status_code == 200
    assert not Enrollment.objects.exists()


def test_staff_enrol_volunteers_from_a_csv_of_emails_and_see_each_rows_outcome(
    client, staff, django_capture_on_commit_callbacks
):
    course, _module, _lesson = make_course_tree(title="Orientation")
    known = make_volunteer(email="known@example.org")
    already = make_volunteer(email="already@example.org")
    course_enrol(volunteer=already.user, course=course)
    mail.outbox.clear()
    upload = SimpleUploadedFile(
        "people.csv", b"email\nKNOWN@example.org\nalready@example.org\nnobody@example.org\nnot-an-email\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CSV_URL, {"course": course.pk, "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    for row in ("enrol-enrolled", "enrol-already", "enrol-unknown", "enrol-invalid"):
        assert row in html
    assert Enrollment.objects.filter(volunteer=known.user, course=course).exists()
    assert [message.to for message in mail.outbox] == [["known@example.org"]]
    assert ModelLogEntry.objects.filter(action="courses.enrol", user=staff).count() == 1


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(client, staff):
    course, _module, _lesson = make_course_tree(title="Orientation")
    upload = SimpleUploadedFile("people.csv", "อีเมล".encode("cp874"))
    response = client.post(CSV_URL, {"course": course.pk, "file": upload})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_volunteers_and_trainers_cannot_enrol_others(client):
    course, _module, _lesson = make_course_tree(title="Orientation")
    profile = make_volunteer()
    for user in (make_user(group="Trainers"), profile.user):
        client.force_login(user)
        assert client.get(CSV_URL).status_code in {302, 403}
        client.post(bulk_url(profile), {"course": course.pk})
    assert not Enrollment.objects.exists()


def test_the_record_view_shows_enrolments_and_progress(client, staff):
    course, _module, lesson = make_course_tree(title="Orientation")
    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=course)
    lesson_complete(volunteer=profile.user, lesson=lesson)
    html = client.get(f"/admin/volunteers/people/inspect/{profile.pk}/").content.decode()
    assert "Enrolments and progress" in html
    assert "Orientation" in html and "100%" in html


def test_staff_may_enrol_a_volunteer_who_has_not_completed_the_prerequisites(client, staff):
    first, _module, _lesson = make_course_tree(title="Orientation")
    second, _module2, _lesson2 = make_course_tree(title="Case practice")
    second.prerequisites.set([first])
    second.save_revision().publish()
    profile = make_volunteer()
    client.post(bulk_url(profile), {"course": second.pk})
    assert Enrollment.objects.filter(volunteer=profile.user, course=second, enrolled_by=staff).exists()
