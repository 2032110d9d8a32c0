"""Registration asks for every course marked "required for registration", or an audited reason."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from courses.learning.services import course_completion_record, course_enrol
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer
from volunteers.models import VolunteerProfile
from volunteers.services import RegistrationRequirementsMissing, volunteer_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def required_course():
    course = make_course_tree(title="Orientation", slug="orientation")[0]
    course.required_for_registration = True
    course.save_revision().publish()
    return course


@pytest.fixture
def staff(client):
    user = make_user(group="Staff")
    client.login(email=user.email, password=PASSWORD)
    return user


def register_url(profile) -> str:
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "register"])
    return f"{url}?id={profile.pk}"


def test_an_applicant_without_the_required_course_is_registered_only_with_a_reason(staff, required_course):
    profile = make_volunteer()
    with pytest.raises(RegistrationRequirementsMissing) as error:
        volunteer_register(profile=profile, actor=staff)
    assert error.value.missing == ["Orientation"]
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.APPLICANT
    assert (
        volunteer_register(profile=profile, actor=staff, override_reason="Trained in person in Oslo") is True
    )
    entry = ModelLogEntry.objects.get(action="volunteers.register")
    assert entry.data["override_reason"] == "Trained in person in Oslo"
    assert entry.data["missing"] == ["Orientation"]


def test_an_applicant_who_completed_the_required_courses_registers_without_a_reason(staff, required_course):
    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=required_course)
    course_completion_record(volunteer=profile.user, course=required_course)
    assert volunteer_register(profile=profile, actor=staff) is True
    assert "override_reason" not in ModelLogEntry.objects.get(action="volunteers.register").data


def test_the_register_action_shows_what_is_missing_and_asks_for_a_reason(client, staff, required_course):
    profile = make_volunteer(given_name_th="สมชาย")
    page = client.get(register_url(profile)).content.decode()
    assert "Orientation" in page and 'name="override_reason"' in page
    response = client.post(register_url(profile), {"override_reason": ""})
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.APPLICANT
    client.post(register_url(profile), {"override_reason": "Completed the course on paper"})
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.REGISTERED
    entry = ModelLogEntry.objects.get(action="volunteers.register")
    assert (entry.user_id, entry.data["override_reason"]) == (staff.pk, "Completed the course on paper")


def test_trainers_cannot_register_anyone(client, required_course):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    profile = make_volunteer()
    response = client.post(register_url(profile), {"override_reason": "x"})
    assert response.status_code in {302, 403}
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.APPLICANT
