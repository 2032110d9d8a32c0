"""The public-benefit certification application (issue 22): a leader drafts and submits it with its
board and documents (checked by content, kept private); staff ask for changes, approve or decline it
through an explicit state machine, every step recorded and audited; approval certifies the
organisation; leaders are told, and told again when the certification nears its end."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from notifications.models import Notification
from tests.factories import make_organization, make_privacy_notice, make_user, make_volunteer
from training.scheduler import JOBS
from volunteers import certification, memberships
from volunteers.certification import CertificationRefused
from volunteers.models import (
    CertificationApplication,
    CertificationDocument,
    CertificationTransition,
    Organization,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
State = CertificationApplication.State


@pytest.fixture(autouse=True)
def notice():
    make_privacy_notice(version=1)


@pytest.fixture
def world():
    staff = make_user(group="Staff")
    organization = make_organization(name_th="สมาคมทดสอบ", city="Oslo")
    leader = make_volunteer(email="leader@example.org", given_name_th="ผู้นำ").user
    memberships.organization_leader_appoint(organization=organization, user=leader, actor=staff)
    return staff, organization, leader


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ready(organization, leader) -> CertificationApplication:
    """A draft with everything a submission needs."""
    application = certification.certification_application_start(organization=organization, leader=leader)
    certification.certification_application_save(
        application=application, leader=leader, details={"activities": "ช่วยเหลือคนไทยในออสโล"}
    )
    certification.certification_board_member_add(
        application=application, leader=leader, name="สมศรี ใจดี", position="ประธาน"
    )
    certification.certification_document_add(
        application=application,
        leader=leader,
        title="ข้อบังคับสมาคม",
        upload=SimpleUploadedFile("rules.pdf", PDF, content_type="application/pdf"),
    )
    application.refresh_from_db()
    return application


def _urls(organization, application):
    return {
        "detail": reverse("certification_detail", args=[organization.pk, application.pk]),
        "documents": reverse("certification_document_add", args=[organization.pk, application.pk]),
        "submit": reverse("certification_submit", args=[organization.pk, application.pk]),
    }


# --- The state machine ------------------------------------------------------------------------------


def test_a_draft_is_filled_in_from_the_organisation_and_one_stays_open(world):
    _staff, organization, leader = world
    first = certification.certification_application_start(organization=organization, leader=leader)
    again = certification.certification_application_start(organization=organization, leader=leader)
    assert first.pk == again.pk and first.state == State.DRAFT
    assert first.name_th == "สมาคมทดสอบ" and first.city == "Oslo"
    step = CertificationTransition.objects.get(application=first)
    assert (step.from_state, step.to_state, step.actor) == ("", State.DRAFT, leader)


def test_the_database_holds_one_open_application_per_organisation(world):
    from django.db import IntegrityError, transaction

    _staff, organization, leader = world
    certification.certification_application_start(organization=organization, leader=leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationApplication.objects.create(organization=organization, name_th="ซ้ำ")


def test_the_whole_review_is_recorded_and_approval_certifies_the_organisation(world):
    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    organization.refresh_from_db()
    assert organization.certification_status == Organization.Certification.APPLIED
    certification.certification_request_changes(
        application=application, actor=staff, message="โปรดแนบรายงานการเงิน"
    )
    told = Notification.objects.filter(user=leader, kind="certification_changed")
    assert told.count() == 1 and told.get().context["note"] == "โปรดแนบรายงานการเงิน"
    certification.certification_resubmit(application=application, leader=leader, answer="แนบแล้ว")
    expires = timezone.now().date() + datetime.timedelta(days=3 * 365)
    certification.certification_approve(
        application=application, actor=staff, certification_number="PB-2569-001", expires_on=expires
    )
    organization.refresh_from_db()
    assert organization.certification_status == Organization.Certification.CERTIFIED
    assert organization.certification_number == "PB-2569-001"
    assert organization.certification_expires_on == expires
    assert organization.certified_on is not None
    steps = list(CertificationTransition.objects.filter(application=application))
    assert [(step.from_state, step.to_state) for step in steps] == [
        ("", State.DRAFT),
        (State.DRAFT, State.SUBMITTED),
        (State.SUBMITTED, State.CHANGES_REQUESTED),
        (State.CHANGES_REQUESTED, State.RESUBMITTED),
        (State.RESUBMITTED, State.APPROVED),
    ]
    assert [step.actor for step in steps] == [leader, leader, staff, leader, staff]
    assert steps[2].note == "โปรดแนบรายงานการเงิน" and steps[3].note == "แนบแล้ว"
    logged = set(
        ModelLogEntry.objects.filter(
            object_id=str(application.pk), action__startswith="volunteers.certification_"
        ).values_list("action", flat=True)
    )
    assert {
        "volunteers.certification_start",
        "volunteers.certification_submit",
        "volunteers.certification_request_changes",
        "volunteers.certification_resubmit",
        "volunteers.certification_approve",
    } <= logged
    assert ModelLogEntry.objects.filter(
        object_id=str(organization.pk), action="volunteers.certified"
    ).exists()
    assert Notification.objects.filter(user=leader, kind="certification_changed").count() == 2


@pytest.mark.parametrize(
    "move",
    [
        lambda app, staff, leader: certification.certification_approve(
            application=app, actor=staff, certification_number="X", expires_on=datetime.date(2099, 1, 1)
        ),
        lambda app, staff, leader: certification.certification_request_changes(
            application=app, actor=staff, message="?"
        ),
        lambda app, staff, leader: certification.certification_resubmit(
            application=app, leader=leader, answer="!"
        ),
    ],
    ids=["approve a draft", "ask for changes to a draft", "resubmit a draft"],
)
def test_a_transition_the_table_does_not_allow_is_refused(world, move):
    staff, organization, leader = world
    application = _ready(organization, leader)
    with pytest.raises(CertificationRefused):
        move(application, staff, leader)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_submitted_application_is_submitted_once(world):
    _staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    with pytest.raises(CertificationRefused):
        certification.certification_submit(application=application, leader=leader)
    assert (
        CertificationTransition.objects.filter(application=application, to_state=State.SUBMITTED).count() == 1
    )


def test_an_empty_application_is_not_submitted(world):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    with pytest.raises(CertificationRefused, match="กิจกรรมขององค์กร"):
        certification.certification_submit(application=application, leader=leader)


def test_approval_needs_a_number_and_a_future_expiry_and_decline_a_reason(world):
    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    with pytest.raises(CertificationRefused):
        certification.certification_approve(
            application=application,
            actor=staff,
            certification_number=" ",
            expires_on=datetime.date(2099, 1, 1),
        )
    with pytest.raises(CertificationRefused):
        certification.certification_approve(
            application=application,
            actor=staff,
            certification_number="N",
            expires_on=datetime.date(2020, 1, 1),
        )
    with pytest.raises(CertificationRefused):
        certification.certification_decline(application=application, actor=staff, reason="  ")
    certification.certification_decline(application=application, actor=staff, reason="เอกสารไม่ครบ")
    organization.refresh_from_db()
    assert organization.certification_status == Organization.Certification.NOT_APPLIED
    # Declined, the organisation may start again.
    again = certification.certification_application_start(organization=organization, leader=leader)
    assert again.pk != application.pk


def test_a_leader_who_is_also_staff_does_not_decide_on_their_own_organisation(world):
    staff, organization, leader = world
    memberships.organization_leader_appoint(organization=organization, user=staff, actor=staff)
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    with pytest.raises(CertificationRefused):
        certification.certification_approve(
            application=application,
            actor=staff,
            certification_number="N",
            expires_on=datetime.date(2099, 1, 1),
        )


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_do_not_both_act(world):
    """Each in its own connection, at the same moment: one approves, the other is refused (on
    SQLite the immediate transactions serialise them, on PostgreSQL the row lock does)."""
    staff, organization, leader = world
    other = make_user(group="Staff")
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    barrier = threading.Barrier(2)

    def decide(actor):
        try:
            barrier.wait(timeout=30)
            certification.certification_approve(
                application=application,
                actor=actor,
                certification_number=f"N-{actor.pk}",
                expires_on=datetime.date(2099, 1, 1),
            )
            return "done"
        except CertificationRefused:
            return "refused"
        except Exception as error:  # collected and asserted below
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(decide, [staff, other]))
    assert sorted(map(str, outcomes)) == ["done", "refused"]
    assert (
        CertificationTransition.objects.filter(application=application, to_state=State.APPROVED).count() == 1
    )


# --- Documents --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("rules.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100),
        ("photo.png", b"GIF89a" + b"\x00" * 50),
    ],
    ids=["html named .pdf", "exe named .pdf", "gif named .png"],
)
def test_a_document_that_is_not_a_pdf_jpeg_or_png_by_content_is_refused_with_a_400(world, name, content):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    response = _client(leader).post(
        _urls(organization, application)["documents"],
        {"title": "ข้อบังคับ", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 400
    assert "แนบได้เฉพาะเอกสาร PDF และรูปภาพ JPEG หรือ PNG เท่านั้น" in response.content.decode()
    assert not CertificationDocument.objects.exists()


def test_a_document_over_the_size_limit_is_refused_with_a_400(world):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    huge = SimpleUploadedFile("big.pdf", PDF + b"0" * certification.MAX_DOCUMENT_BYTES)
    response = _client(leader).post(
        _urls(organization, application)["documents"], {"title": "ใหญ่", "file": huge}
    )
    assert response.status_code == 400
    assert not CertificationDocument.objects.exists()


def test_a_body_beyond_the_leaders_upload_limit_is_refused_before_it_is_read(world):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    huge = SimpleUploadedFile("big.pdf", PDF + b"0" * (certification.MAX_DOCUMENT_BYTES + 2 * 1024 * 1024))
    response = _client(leader).post(
        _urls(organization, application)["documents"], {"title": "ใหญ่", "file": huge}
    )
    assert response.status_code == 413
    assert not CertificationDocument.objects.exists()


def test_a_volunteer_who_leads_nothing_uploads_nothing(world):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    stranger = make_volunteer(email="stranger@example.org").user
    response = _client(stranger).post(
        _urls(organization, application)["documents"],
        {"title": "x", "file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not CertificationDocument.objects.exists()


def test_a_path_traversal_file_name_is_stored_under_a_name_of_our_own(world):
    _staff, organization, leader = world
    application = certification.certification_application_start(organization=organization, leader=leader)
    response = _client(leader).post(
        _urls(organization, application)["documents"],
        {"title": "รูป", "file": SimpleUploadedFile("../../../etc/passwd.png", PNG)},
    )
    assert response.status_code == 302
    document = CertificationDocument.objects.get()
    assert document.file.name.startswith(f"certification/{application.pk}/")
    assert ".." not in document.file.name and "passwd" not in document.file.name
    assert "/" not in document.original_name and ".." not in document.original_name
    assert document.content_type == "image/png" and document.original_name.endswith(".png")
    if getattr(document.file.storage, "bucket_name", None):
        # The private bucket (scale-out): only a link signed for a short time, never a public one.
        assert "Signature=" in document.file.url
    else:
        with pytest.raises(ValueError):
            document.file.url  # the private folder: no URL at all  # noqa: B018


def test_documents_stream_to_the_leaders_and_staff_only(world):
    staff, organization, leader = world
    application = _ready(organization, leader)
    document = application.documents.get()
    leader_url = reverse("certification_document", args=[organization.pk, application.pk, document.pk])
    response = _client(leader).get(leader_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    admin_url = reverse("volunteers_certification_document", args=[application.pk, document.pk])
    assert _client(staff).get(admin_url).status_code == 200
    # A leader of another organisation, by id, under their own organisation or under A's.
    other_org = make_organization()
    other = make_volunteer(email="other.leader@example.org").user
    memberships.organization_leader_appoint(organization=other_org, user=other, actor=staff)
    assert _client(other).get(leader_url).status_code == 404
    crossed = reverse("certification_document", args=[other_org.pk, application.pk, document.pk])
    assert _client(other).get(crossed).status_code == 404
    assert _client(other).get(admin_url).status_code == 302  # no admin access: to the admin's login


def test_the_leader_cannot_approve_their_own_application_through_the_admin(world):
    _staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    response = _client(leader).post(
        reverse("volunteers_certification_review", args=[application.pk]),
        {"action": "approve", "approve-certification_number": "MINE", "approve-expires_on": "2099-01-01"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


# --- The leader's pages -----------------------------------------------------------------------------


def test_a_leader_drafts_and_submits_through_the_pages(world):
    _staff, organization, leader = world
    client = _client(leader)
    response = client.post(reverse("certification_start", args=[organization.pk]))
    application = CertificationApplication.objects.get()
    assert response["Location"] == _urls(organization, application)["detail"]
    urls = _urls(organization, application)
    page = client.get(urls["detail"])
    assert page.status_code == 200 and "สมาคมทดสอบ" in page.content.decode()
    response = client.post(
        urls["detail"], {"name_th": "สมาคมทดสอบ", "kind": "association", "activities": "สอนภาษาไทย"}
    )
    assert response.status_code == 302
    # Submitting without a board or document: a clear 400.
    response = client.post(urls["submit"], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    client.post(
        reverse("certification_board_add", args=[organization.pk, application.pk]),
        {"name": "สมชาย", "position": "เหรัญญิก"},
    )
    client.post(urls["documents"], {"title": "ใบทะเบียน", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert client.post(urls["submit"]).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.activities == "สอนภาษาไทย"
    # A second click on the same button: refused, not a second submission.
    assert client.post(urls["submit"]).status_code == 400
    # Once submitted, nothing changes any more.
    response = client.post(urls["detail"], {"name_th": "เปลี่ยน", "kind": "club", "activities": "x"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.name_th == "สมาคมทดสอบ"


def test_the_leader_reads_staffs_question_and_answers_it(world):
    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    certification.certification_request_changes(
        application=application, actor=staff, message="ใครเป็นเลขานุการ"
    )
    client = _client(leader)
    urls = _urls(organization, application)
    assert "ใครเป็นเลขานุการ" in client.get(urls["detail"]).content.decode()
    assert client.post(urls["submit"], {"answer": ""}).status_code == 400
    assert client.post(urls["submit"], {"answer": "คุณสมศรี"}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.RESUBMITTED


def test_staff_review_and_approve_in_the_admin(world):
    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    client = _client(staff)
    listing = client.get(reverse("volunteers_certification_list"))
    assert listing.status_code == 200 and "สมาคมทดสอบ" in listing.content.decode()
    review_url = reverse("volunteers_certification_review", args=[application.pk])
    page = client.get(review_url).content.decode()
    assert "ข้อบังคับสมาคม" in page and "สมศรี ใจดี" in page
    # Approval without a number: a 400 with the form again.
    response = client.post(review_url, {"action": "approve", "approve-expires_on": "2099-01-01"})
    assert response.status_code == 400
    response = client.post(
        review_url,
        {"action": "approve", "approve-certification_number": "PB-1", "approve-expires_on": "2099-01-01"},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.certification_number == "PB-1"
    assert client.post(review_url, {"action": "nonsense"}).status_code == 400


# --- Expiry -----------------------------------------------------------------------------------------


def test_expiring_certifications_are_on_the_dashboard_and_leaders_are_told_once(world):
    staff, organization, leader = world
    soon = timezone.now().date() + datetime.timedelta(days=30)
    Organization.objects.filter(pk=organization.pk).update(
        certification_status="certified", certification_number="PB-9", certification_expires_on=soon
    )
    make_organization(
        name_th="ยังอีกนาน",
        certification_status="certified",
        certification_number="PB-10",
        certification_expires_on=soon + datetime.timedelta(days=365),
    )
    assert [item.pk for item in certification.certifications_expiring()] == [organization.pk]
    dashboard = _client(staff).get(reverse("wagtailadmin_home")).content.decode()
    assert "PB-9" in dashboard and "PB-10" not in dashboard
    assert certification.certification_expiry_reminders_send() == 1
    certification.certification_expiry_reminders_send()
    told = Notification.objects.filter(user=leader, kind="certification_expiring")
    assert told.count() == 1
    assert "certification_expiry" in JOBS


def test_the_leader_is_mailed_staffs_question_and_the_expiry_in_thai(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certification.certification_request_changes(
            application=application, actor=staff, message="โปรดแนบงบการเงิน <b>ปีล่าสุด</b>"
        )
    [message] = mail.outbox
    assert "เจ้าหน้าที่ขอให้แก้ไขคำขอรับรองขององค์กรของท่าน" in message.body
    assert "โปรดแนบงบการเงิน <b>ปีล่าสุด</b>" in message.body
    assert f"/organisation/{organization.pk}/certification/{application.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "<b>ปีล่าสุด</b>" not in html and "&lt;b&gt;" in html  # staff's words are text, not markup
    mail.outbox.clear()
    Organization.objects.filter(pk=organization.pk).update(
        certification_status="certified",
        certification_number="PB-77",
        certification_expires_on=timezone.now().date() + datetime.timedelta(days=45),
    )
    with django_capture_on_commit_callbacks(execute=True):
        certification.certification_expiry_reminders_send()
    [message] = mail.outbox
    assert "PB-77" in message.body and "จะหมดอายุในอีก" in message.body


def test_erasing_the_leader_forgets_their_part_and_keeps_the_organisations_application(world):
    from volunteers.services import volunteer_erase

    staff, organization, leader = world
    application = _ready(organization, leader)
    certification.certification_submit(application=application, leader=leader)
    certification.certification_request_changes(
        application=application, actor=staff, message="โปรดติดต่อ leader@example.org อีกครั้ง"
    )
    volunteer_erase(user=leader, actor=staff)
    application.refresh_from_db()
    assert application.created_by is None and application.state == State.CHANGES_REQUESTED
    assert not CertificationTransition.objects.filter(actor=leader).exists()
    assert not CertificationDocument.objects.filter(uploaded_by=leader).exists()
    assert (
        "leader@example.org" not in CertificationTransition.objects.get(to_state=State.CHANGES_REQUESTED).note
    )
