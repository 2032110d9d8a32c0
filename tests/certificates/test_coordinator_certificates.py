"""Country coordinators and certificates (issue 22): a coordinator for Norway lists, opens, revokes,
re-issues and issues only the certificates of Norwegian volunteers; a Swedish volunteer's
certificate is a 404, and the verify tool says it exists outside their countries without showing it.
The public verification page stays as it is for everyone."""

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import (
    PASSWORD,
    english_admin,
    make_coordinator,
    make_course_tree,
    make_user,
    make_volunteer,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/certificates/issued/"
VERIFY_URL = "/admin/certificates/issued/verify/"
NORWEGIAN = "นอร์เวย์ใจดี"
SWEDISH = "สวีเดนใจงาม"


@pytest.fixture
def course():
    return make_course_tree(title="หลักสูตรปฐมนิเทศ")[0]


@pytest.fixture
def certificates(course):
    norwegian = make_volunteer(
        email="nora@example.org", given_name_th=NORWEGIAN, family_name_th="ออสโล", country="NO"
    )
    swedish = make_volunteer(
        email="sven@example.org", given_name_th=SWEDISH, family_name_th="สตอกโฮล์ม", country="SE"
    )
    return (
        certificate_issue(volunteer=norwegian.user, course=course),
        certificate_issue(volunteer=swedish.user, course=course),
    )


@pytest.fixture
def coordinator(client):
    user = english_admin(make_coordinator(countries=("NO",)))
    client.login(email=user.email, password=PASSWORD)
    return user


def test_the_norway_coordinator_lists_and_exports_only_norwegian_certificates(
    client, coordinator, certificates
):
    norwegian, swedish = certificates
    page = client.get(LIST_URL).content.decode()
    assert norwegian.serial in page and swedish.serial not in page
    searched = client.get(LIST_URL, {"q": swedish.serial}).content.decode()
    assert (
        SWEDISH not in searched and f"inspect/{swedish.pk}/" not in searched
    )  # (the query itself is echoed)
    export = client.get(LIST_URL, {"export": "csv"})
    body = b"".join(export.streaming_content).decode()
    assert norwegian.serial in body and swedish.serial not in body


def test_the_coordinators_dashboard_counts_only_their_countries_certificates(
    client, coordinator, certificates
):
    dashboard = client.get("/admin/")
    panel = next(p for p in dashboard.context["panels"] if p.name == "certificates_this_month")
    assert panel.get_context_data({})["issued"] == 1


@pytest.mark.parametrize("view", ["inspect", "revoke", "reissue"])
def test_every_page_of_a_swedish_certificate_is_a_404(client, coordinator, certificates, view):
    norwegian, swedish = certificates
    url = f"{LIST_URL}{swedish.pk}/{view}/" if view != "inspect" else f"{LIST_URL}inspect/{swedish.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "ทดสอบ"}).status_code == 404
    swedish.refresh_from_db()
    assert swedish.status == Certificate.Status.VALID
    norwegian_url = url.replace(f"/{swedish.pk}/", f"/{norwegian.pk}/")
    assert client.get(norwegian_url).status_code == 200


def test_the_coordinator_revokes_a_norwegian_certificate(client, coordinator, certificates):
    norwegian, _swedish = certificates
    client.post(f"{LIST_URL}{norwegian.pk}/revoke/", {"reason": "ออกให้ผิดคน"})
    norwegian.refresh_from_db()
    assert norwegian.status == Certificate.Status.REVOKED


def test_the_coordinator_issues_manually_only_to_their_countries_volunteers(
    client, coordinator, certificates
):
    other_course = make_course_tree(title="หลักสูตรทบทวน")[0]
    data = {"course": other_course.pk, "reason": "เรียนในห้องเรียนที่สตอกโฮล์ม"}
    refused = client.post(f"{LIST_URL}issue/", {**data, "email": "sven@example.org"})
    assert refused.status_code == 200
    assert "No volunteer of your countries has this email address." in refused.content.decode()
    assert not Certificate.objects.filter(course=other_course).exists()
    # An unknown address gets the same answer: the form does not tell who is registered elsewhere.
    unknown = client.post(f"{LIST_URL}issue/", {**data, "email": "nobody@example.org"})
    assert "No volunteer of your countries has this email address." in unknown.content.decode()
    issued = client.post(f"{LIST_URL}issue/", {**data, "email": "nora@example.org"})
    assert issued.status_code == 302
    assert Certificate.objects.filter(course=other_course, volunteer__email="nora@example.org").exists()


def test_the_verify_tool_says_a_swedish_certificate_is_outside_the_coordinators_countries(
    client, coordinator, certificates
):
    norwegian, swedish = certificates
    for code in (swedish.serial, swedish.grouped_token):
        page = client.post(VERIFY_URL, {"code": code}).content.decode()
        assert "outside your countries" in page
        assert "Certificate found" not in page and SWEDISH not in page and "sven@example.org" not in page
        assert f"inspect/{swedish.pk}/" not in page
        assert "No certificate has this code or serial." not in page
    found = client.post(VERIFY_URL, {"code": norwegian.serial}).content.decode()
    assert "Certificate found" in found and NORWEGIAN in found
    unknown = client.post(VERIFY_URL, {"code": "MSDHS-1999-000001"}).content.decode()
    assert "No certificate has this code or serial." in unknown


def test_staff_verify_and_open_certificates_of_every_country(client, certificates):
    staff = english_admin(make_user(group="Staff"))
    client.login(email=staff.email, password=PASSWORD)
    _norwegian, swedish = certificates
    page = client.post(VERIFY_URL, {"code": swedish.serial}).content.decode()
    assert "Certificate found" in page and SWEDISH in page
    assert client.get(f"{LIST_URL}inspect/{swedish.pk}/").status_code == 200
    assert swedish.serial in client.get(LIST_URL).content.decode()


def test_the_public_verify_page_is_unchanged_for_a_coordinator(client, coordinator, certificates):
    _norwegian, swedish = certificates
    response = client.get(f"/verify/{swedish.token}/")
    assert response.status_code == 200 and swedish.serial in response.content.decode()


def test_a_coordinator_with_no_countries_sees_no_certificate(client, certificates):
    user = english_admin(make_coordinator(countries=()))
    client.login(email=user.email, password=PASSWORD)
    norwegian, swedish = certificates
    page = client.get(LIST_URL).content.decode()
    assert norwegian.serial not in page and swedish.serial not in page
    assert client.get(f"{LIST_URL}inspect/{norwegian.pk}/").status_code == 404
