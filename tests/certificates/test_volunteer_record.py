"""The staff record of a volunteer: profile, organisation, enrolments with progress, certificates,
and the actions register, mark inactive, enrol in a course and revoke a certificate, each audited."""

import pytest
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.learning.services import course_enrol, lesson_complete
from courses.models import Enrollment
from tests.factories import PASSWORD, make_course_tree, make_organization, make_user, make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    orientation, _module, lesson = make_course_tree(title="Orientation", slug="orientation")
    other = make_course_tree(title="Listening skills", slug="listening")[0]
    profile = make_volunteer(
        given_name_th="กัญญา", family_name_th="ใจดี", country="NO",
        organization=make_organization(name_th="สมาคมไทยออสโล"), phone="+47 123 45 678",
    )  # fmt: skip
    course_enrol(volunteer=profile.user, course=orientation)
    lesson_complete(volunteer=profile.user, lesson=lesson)
    return profile, other


def url(profile) -> str:
    return f"/admin/volunteers/people/inspect/{profile.pk}/"


def test_staff_see_profile_organisation_progress_certificates_and_every_action(client, record):
    profile, _other = record
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    page = client.get(url(profile)).content.decode()
    certificate = Certificate.objects.get(volunteer=profile.user)
    for expected in ("กัญญา", "สมาคมไทยออสโล", "Orientation", "100%", certificate.serial):
        assert expected in page, expected
    for action in ("register", "mark_inactive", "enrol_in_course"):
        assert f"/admin/bulk/volunteers/volunteerprofile/{action}/?id={profile.pk}" in page, action
    assert f"/admin/certificates/issued/{certificate.pk}/revoke/" in page


def test_the_record_actions_change_the_record_and_are_audited(client, record):
    profile, other = record
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    base = "/admin/bulk/volunteers/volunteerprofile"
    client.post(f"{base}/register/?id={profile.pk}", {"override_reason": ""})
    client.post(f"{base}/enrol_in_course/?id={profile.pk}", {"course": other.pk})
    certificate = Certificate.objects.get(volunteer=profile.user)
    client.post(
        f"/admin/certificates/issued/{certificate.pk}/revoke/", {"reason": "Issued to the wrong person"}
    )
    client.post(f"{base}/mark_inactive/?id={profile.pk}")
    profile.refresh_from_db()
    certificate.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.INACTIVE and profile.volunteer_number
    assert Enrollment.objects.filter(volunteer=profile.user, course=other).exists()
    assert certificate.status == Certificate.Status.REVOKED
    actions = set(ModelLogEntry.objects.filter(user=staff).values_list("action", flat=True))
    assert {
        "volunteers.register",
        "courses.enrol",
        "certificates.revoke",
        "volunteers.mark_inactive",
    } <= actions


def test_trainers_and_volunteers_get_no_record_and_no_action(client, record):
    profile, other = record
    trainer = make_user(group="Trainers")
    volunteer = make_volunteer().user
    base = "/admin/bulk/volunteers/volunteerprofile"
    certificate = Certificate.objects.get(volunteer=profile.user)
    for user in (trainer, volunteer, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url(profile))
        assert response.status_code in {302, 403}
        assert "+47 123 45 678" not in response.content.decode()
        client.post(f"{base}/register/?id={profile.pk}", {"override_reason": "x"})
        client.post(f"{base}/enrol_in_course/?id={profile.pk}", {"course": other.pk})
        client.post(f"/admin/certificates/issued/{certificate.pk}/revoke/", {"reason": "x"})
    profile.refresh_from_db()
    certificate.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.APPLICANT
    assert not Enrollment.objects.filter(volunteer=profile.user, course=other).exists()
    assert certificate.status == Certificate.Status.VALID
