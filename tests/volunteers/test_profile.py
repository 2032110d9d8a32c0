"""The volunteer's own profile page: editing, organisations, and no way into another person's record."""

import pytest

from tests.factories import PASSWORD, make_organization, make_privacy_notice, make_volunteer
from volunteers.models import Organization, VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(client):
    make_privacy_notice()
    profile = make_volunteer(given_name_th="สมชาย", family_name_th="ใจดี")
    client.login(email=profile.user.email, password=PASSWORD)
    return profile


def profile_data(**overrides):
    data = {
        "title": "mr",
        "given_name_th": "สมชาย",
        "family_name_th": "ใจดี",
        "given_name_en": "Somchai",
        "family_name_en": "Jaidee",
        "country": "NO",
        "city": "Bergen",
        "organization": "",
        "new_organization_name": "",
        "organization_role": "เลขานุการ",
        "phone": "+47 123 45 678",
        "preferred_language": "th",
    }
    return {**data, **overrides}


def test_profile_page_needs_a_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_volunteer_edits_their_own_profile(client, volunteer):
    organization = make_organization(name_th="สมาคมไทยในเบอร์เกน")
    response = client.post("/accounts/profile/", profile_data(organization=organization.pk))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.given_name_en == "Somchai" and volunteer.city == "Bergen"
    assert volunteer.organization == organization
    assert volunteer.status == VolunteerProfile.Status.APPLICANT


def test_the_country_list_is_named_in_thai_and_in_english(client, volunteer):
    assert "นอร์เวย์" in client.get("/accounts/profile/").content.decode()
    assert "Norway" in client.get("/en/accounts/profile/").content.decode()


def test_a_new_organisation_named_by_a_volunteer_waits_for_staff(client, volunteer):
    client.post("/accounts/profile/", profile_data(new_organization_name="ชมรมไทยทรอมโส"))
    volunteer.refresh_from_db()
    assert volunteer.organization.name_th == "ชมรมไทยทรอมโส"
    assert volunteer.organization.is_confirmed is False
    # Not offered to other volunteers until staff confirm it: the list holds it once, as this
    # volunteer's own choice (the status card above names their organisation too).
    assert client.get("/accounts/profile/").content.decode().count("ชมรมไทยทรอมโส</option>") == 1


def test_invalid_input_gets_a_form_error_not_a_500(client, volunteer):
    response = client.post(
        "/en/accounts/profile/", profile_data(country="XX", phone="call me", organization="999999")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use digits, spaces and + - ( ) only." in page
    assert "Select a valid choice" in page


def test_a_volunteer_cannot_change_another_persons_record(client, volunteer):
    other = make_volunteer(given_name_th="อื่น", family_name_th="คนอื่น", phone="+46 1")
    client.post(
        "/accounts/profile/", {**profile_data(), "user": other.user.pk, "id": other.pk, "pk": other.pk}
    )
    other.refresh_from_db()
    assert other.given_name_th == "อื่น" and other.phone == "+46 1"
    volunteer.refresh_from_db()
    assert volunteer.user_id != other.user_id


def test_a_volunteer_cannot_see_another_persons_record_by_guessing_urls(client, volunteer):
    other = make_volunteer(given_name_th="ความลับ", family_name_th="ซ่อนอยู่")
    guesses = [
        f"/accounts/profile/{other.pk}/",
        f"/accounts/profile/?id={other.pk}",
        f"/accounts/profile/my-data.json?user={other.user.pk}",
        f"/admin/snippets/volunteers/volunteerprofile/edit/{other.pk}/",
        f"/admin/volunteers/people/edit/{other.pk}/",
        f"/admin/volunteers/people/inspect/{other.pk}/",
    ]
    for url in guesses:
        response = client.get(url)
        assert "ความลับ" not in response.content.decode(), url
        assert response.status_code in {200, 302, 403, 404}, url


def test_registered_volunteers_see_their_number(client, volunteer):
    from tests.factories import make_user
    from volunteers.services import volunteer_register

    staff = make_user(group="Staff")
    volunteer_register(profile=volunteer, actor=staff)
    volunteer.refresh_from_db()
    page = client.get("/accounts/profile/").content.decode()
    assert volunteer.volunteer_number in page


def test_organisations_are_listed_only_when_confirmed(client, volunteer):
    make_organization(name_th="ยืนยันแล้ว")
    Organization.objects.create(name_th="ยังไม่ยืนยัน", is_confirmed=False)
    page = client.get("/accounts/profile/").content.decode()
    assert "ยืนยันแล้ว" in page and "ยังไม่ยืนยัน" not in page
