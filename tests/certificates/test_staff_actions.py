"""Staff in the admin: the certificate list, revoke, re-issue, manual issue, verify tool, templates."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, CertificateTemplate
from certificates.services import CertificateError, certificate_issue, certificate_reissue, certificate_revoke
from tests.factories import PASSWORD, english_admin, make_course_tree, make_user, make_volunteer
from volunteers.services import volunteer_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course_tree(title="หลักสูตรปฐมนิเทศ")[0]


@pytest.fixture
def certificate(course):
    profile = make_volunteer(
        given_name_th="สมศรี", family_name_th="มีสุข", given_name_en="Somsri", family_name_en="Meesuk"
    )
    return certificate_issue(volunteer=profile.user, course=course)


@pytest.fixture
def staff(client):
    user = english_admin(make_user(group="Staff"))
    client.login(email=user.email, password=PASSWORD)
    return user


def test_staff_find_certificates_by_serial_and_thai_name_fragment(client, staff, certificate):
    response = client.get("/admin/certificates/issued/", {"q": "มีสุ"})
    assert response.status_code == 200
    assert certificate.serial in response.content.decode()
    assert (
        certificate.serial
        in client.get("/admin/certificates/issued/", {"q": certificate.serial}).content.decode()
    )
    filtered = client.get("/admin/certificates/issued/", {"status": "revoked"}).content.decode()
    assert certificate.serial not in filtered


def test_trainers_and_volunteers_cannot_open_certificates_in_the_admin(client, certificate):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    for url in ["/admin/certificates/issued/", f"/admin/certificates/issued/{certificate.pk}/revoke/",
                "/admin/certificates/issued/verify/", "/admin/certificates/templates/"]:  # fmt: skip
        assert client.get(url).status_code in {302, 403}, url
    assert client.post(
        f"/admin/certificates/issued/{certificate.pk}/revoke/", {"reason": "x"}
    ).status_code in {302, 403}
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_staff_revoke_with_a_reason_and_it_is_audited(client, staff, certificate):
    url = f"/admin/certificates/issued/{certificate.pk}/revoke/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # the form asks for a reason
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    client.post(url, {"reason": "Issued to the wrong person"})
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.status_changed_by == staff
    assert ModelLogEntry.objects.filter(action="certificates.revoke", object_id=str(certificate.pk)).exists()


def test_a_revoked_certificate_cannot_be_revoked_again(certificate):
    staff = make_user(group="Staff")
    certificate_revoke(certificate=certificate, actor=staff, reason="error")
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, actor=staff, reason="again")


def test_reissue_after_a_name_correction_supersedes_the_old_one(client, staff, certificate):
    profile = certificate.volunteer.volunteer_profile
    profile.family_name_th = "มีสุขมาก"
    profile.save()
    client.post(f"/admin/certificates/issued/{certificate.pk}/reissue/", {"reason": "Family name corrected"})
    certificate.refresh_from_db()
    assert certificate.status == "superseded"
    new = certificate.superseded_by
    assert new.status == "valid" and new.holder_name_th == "สมศรี มีสุขมาก"
    assert new.serial != certificate.serial
    assert "replaced by a newer one" in client.get(f"/verify/{certificate.token}/").content.decode()
    assert ModelLogEntry.objects.filter(action="certificates.reissue").exists()


def test_reissue_needs_a_reason(certificate):
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=certificate, actor=make_user(group="Staff"), reason=" ")


def test_staff_issue_manually_for_a_completion_outside_the_platform(client, staff, course):
    volunteer = make_volunteer(email="outside@example.org", given_name_th="นภา").user
    response = client.post(
        "/admin/certificates/issued/issue/",
        {
            "email": "outside@example.org",
            "course": course.pk,
            "reason": "Completed the classroom course in Oslo",
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(volunteer=volunteer)
    assert certificate.issued_by == staff and "Oslo" in certificate.manual_reason
    assert ModelLogEntry.objects.filter(action="certificates.issue_manual").exists()


def test_manual_issue_for_an_unknown_email_is_a_clear_error(client, staff, course):
    response = client.post(
        "/admin/certificates/issued/issue/",
        {"email": "nobody@example.org", "course": course.pk, "reason": "x"},
    )
    assert response.status_code == 200
    assert "No account has this email address." in response.content.decode()


def test_the_verify_tool_finds_by_code_serial_and_genuine_pdf(
    client, staff, certificate, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from certificates.services import certificate_pdf_store

    certificate_pdf_store(certificate=certificate)
    certificate.refresh_from_db()
    for code in [certificate.grouped_token, certificate.serial.lower()]:
        html = client.post("/admin/certificates/issued/verify/", {"code": code}).content.decode()
        assert "Certificate found" in html and certificate.serial in html
    with certificate.pdf.open("rb") as handle:
        genuine = handle.read()
    html = client.post(
        "/admin/certificates/issued/verify/", {"pdf": SimpleUploadedFile("c.pdf", genuine, "application/pdf")}
    ).content.decode()
    assert "The PDF is genuine" in html
    forged = genuine.replace(b"%PDF-", b"%PDF--", 1)
    html = client.post(
        "/admin/certificates/issued/verify/", {"pdf": SimpleUploadedFile("c.pdf", forged, "application/pdf")}
    ).content.decode()
    assert "No certificate was issued as this exact file" in html
    assert client.post("/admin/certificates/issued/verify/", {}).status_code == 400


def test_saving_a_template_raises_its_version(client, staff):
    response = client.post(
        reverse("certificate_templates:add"),
        {"name": "Default", "signatory_name": "นายใจดี มีธรรม", "signatory_title": "ผู้อำนวยการ"},
    )
    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    assert template.version == 2
    client.post(
        reverse("certificate_templates:edit", args=[template.pk]),
        {"name": "Default", "signatory_name": "นางสาวใหม่ ใจงาม", "signatory_title": "ผู้อำนวยการ"},
    )
    template.refresh_from_db()
    assert template.version == 3 and template.signatory_name == "นางสาวใหม่ ใจงาม"


def test_erasure_withdraws_the_certificate_and_leaves_no_name(client, certificate):
    from certificates.services import certificate_pdf_store
    from training.storage import private_storage

    certificate_pdf_store(certificate=certificate)
    certificate.refresh_from_db()
    stored_pdf = certificate.pdf.name
    assert private_storage().exists(stored_pdf)
    staff = make_user(group="Staff")
    volunteer_erase(user=certificate.volunteer, actor=staff)
    assert not private_storage().exists(stored_pdf)
    certificate.refresh_from_db()
    assert certificate.status == "withdrawn"
    assert certificate.holder_name_th == "" and certificate.credential is None and not certificate.pdf
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "withdrawn" in html and "สมศรี" not in html
    assert client.get(f"/verify/{certificate.token}.json").status_code == 410


def test_the_staff_record_view_lists_the_volunteers_certificates(client, staff, certificate):
    profile = certificate.volunteer.volunteer_profile
    html = client.get(
        reverse("wagtailsnippets_volunteers_volunteerprofile:inspect", args=[profile.pk])
    ).content.decode()
    assert certificate.serial in html
