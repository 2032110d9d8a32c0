"""The staff admin: who may open the register, search, filters, export, actions and the audit log."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import PASSWORD, make_organization, make_user, make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/volunteers/people/"


@pytest.fixture
def staff(client):
    user = make_user(group="Staff")
    client.login(email=user.email, password=PASSWORD)
    return user


def test_trainers_cannot_open_the_volunteers_list(client):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    make_volunteer(given_name_th="สมชาย")
    response = client.get(LIST_URL)
    assert response.status_code in {302, 403}
    assert "สมชาย" not in response.content.decode()
    assert client.get("/admin/volunteers/import/").status_code in {302, 403}
    assert client.get("/admin/volunteers/organisations/").status_code in {302, 403}


def test_staff_find_a_volunteer_by_a_thai_name_fragment(client, staff):
    make_volunteer(given_name_th="สมศักดิ์", family_name_th="รักไทย")
    make_volunteer(given_name_th="มานี", family_name_th="มีนา")
    response = client.get(LIST_URL, {"q": "ศักดิ์"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "สมศักดิ์" in page and "มานี" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Somchai", "สมชาย"), ("somchai@example.org", "สมชาย"), ("OV-2026-0000", "สมชาย")],
)
def test_staff_search_by_latin_name_email_and_number(client, staff, query, expected):
    make_volunteer(
        email="somchai@example.org",
        given_name_th="สมชาย",
        given_name_en="Somchai",
        status="registered",
        volunteer_number="OV-2026-000009",
        registered_at="2026-01-01T00:00Z",
    )
    make_volunteer(given_name_th="มานี")
    page = client.get(LIST_URL, {"q": query}).content.decode()
    assert expected in page and "มานี" not in page


def test_staff_filter_by_country_organisation_status_and_email_confirmation(client, staff):
    organization = make_organization(name_th="ชมรมเดนมาร์ก", country="DK")
    confirmed = make_volunteer(given_name_th="ยืนยัน", country="DK", organization=organization)
    confirmed.user.email_confirmed_at = confirmed.created_at
    confirmed.user.save()
    make_volunteer(given_name_th="นอร์เวย์คน", country="NO", email_confirmed=False)
    for params in (
        {"country": "DK"},
        {"organization": organization.pk},
        {"email_confirmed": "true"},
        {"status": "applicant", "country": "DK"},
    ):
        page = client.get(LIST_URL, params).content.decode()
        assert "ยืนยัน" in page and "นอร์เวย์คน" not in page, params


def test_staff_export_the_filtered_list_as_a_spreadsheet(client, staff):
    make_volunteer(given_name_th="ส่งออก", country="SE")
    make_volunteer(given_name_th="ไม่ส่ง", country="NO")
    response = client.get(LIST_URL, {"export": "csv", "country": "SE"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "ส่งออก" in body and "ไม่ส่ง" not in body
    xlsx = client.get(LIST_URL, {"export": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_the_csv_export_defuses_spreadsheet_formulas(client, staff):
    make_volunteer(given_name_th='=HYPERLINK("http://evil.example","x")', phone="+47 1", country="SE")
    response = client.get(LIST_URL, {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body and "'+47 1" in body
    assert ",=HYPERLINK" not in body and ',"=HYPERLINK' not in body


def bulk_url(action, *profiles):
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action])
    return url + "?" + "&".join(f"id={profile.pk}" for profile in profiles)


def test_staff_register_several_applicants_at_once_and_it_is_audited(client, staff):
    first, second = make_volunteer(given_name_th="หนึ่ง"), make_volunteer(given_name_th="สอง")
    confirm = client.get(bulk_url("register", first, second))
    assert confirm.status_code == 200 and "หนึ่ง" in confirm.content.decode()
    response = client.post(bulk_url("register", first, second))
    assert response.status_code == 302
    for profile in (first, second):
        profile.refresh_from_db()
        assert profile.status == VolunteerProfile.Status.REGISTERED and profile.volunteer_number
        assert profile.registered_by == staff
    assert ModelLogEntry.objects.filter(action="volunteers.register", user=staff).count() == 2


def test_staff_mark_a_volunteer_inactive_from_its_row(client, staff):
    profile = make_volunteer(given_name_th="พัก")
    page = client.get(LIST_URL).content.decode()
    assert "mark_inactive/?id=" in page
    client.post(bulk_url("mark_inactive", profile))
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.INACTIVE
    assert ModelLogEntry.objects.filter(action="volunteers.mark_inactive", user=staff).exists()


def test_staff_edits_are_written_to_the_audit_log(client, staff):
    profile = make_volunteer(given_name_th="แก้ไข", family_name_th="ข้อมูล")
    url = f"/admin/volunteers/people/edit/{profile.pk}/"
    assert client.get(url).status_code == 200
    data = {
        "title": "",
        "given_name_th": "แก้แล้ว",
        "family_name_th": "ข้อมูล",
        "given_name_en": "",
        "family_name_en": "",
        "country": "NO",
        "city": "",
        "organization": "",
        "organization_role": "",
        "phone": "",
        "preferred_language": "th",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    profile.refresh_from_db()
    assert profile.given_name_th == "แก้แล้ว"
    assert ModelLogEntry.objects.filter(action="wagtail.edit", user=staff).exists()


def test_the_volunteer_detail_view_shows_the_record_and_its_history(client, staff):
    from volunteers.services import volunteer_register

    profile = make_volunteer(given_name_th="รายละเอียด", email="detail@example.org")
    volunteer_register(profile=profile, actor=staff)
    response = client.get(f"/admin/volunteers/people/inspect/{profile.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and "รายละเอียด" in page
    assert "detail@example.org" in page and 'id="record-account"' in page
    assert "Registered as volunteer" in page or "ขึ้นทะเบียน" in page


def test_other_apps_add_sections_to_the_record_view(client, staff):
    from volunteers import records

    section = records.RecordSection(
        key="test-progress",
        label="Progress from another app",
        template_name="volunteers/admin/record_account.html",
        get_context=lambda profile: {"user": profile.user, "history": []},
        order=50,
    )
    records.register_record_section(section)
    try:
        profile = make_volunteer()
        page = client.get(f"/admin/volunteers/people/inspect/{profile.pk}/").content.decode()
        assert "Progress from another app" in page
    finally:
        records._sections.pop("test-progress")


def test_staff_manage_and_filter_organisations(client, staff):
    make_organization(name_th="มูลนิธิสวีเดน", country="SE", kind="foundation")
    make_organization(name_th="ชมรมนอร์เวย์", country="NO", kind="club")
    page = client.get("/admin/volunteers/organisations/", {"kind": "foundation"}).content.decode()
    assert "มูลนิธิสวีเดน" in page and "ชมรมนอร์เวย์" not in page
    assert client.get("/admin/volunteers/organisations/add/").status_code == 200


def test_a_volunteer_cannot_run_staff_actions(client):
    profile = make_volunteer()
    client.login(email=profile.user.email, password=PASSWORD)
    client.post(bulk_url("register", profile))
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.APPLICANT
