"""Issuing: exactly one valid certificate, the printed snapshot, the signed credential, the PDF."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import credentials, openbadges
from certificates.models import (
    Certificate,
    CertificateTemplate,
    group_token,
    new_public_token,
    normalise_token,
)
from certificates.services import (
    certificate_issue,
    certificate_pdf_bytes,
    certificates_render_pending,
    issuer_info,
)
from courses.learning.completion import notify_course_completed
from tests.factories import make_course_tree, make_user, make_volunteer
from training.storage import private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    return course


@pytest.fixture
def volunteer():
    profile = make_volunteer(
        title="ms", given_name_th="กานติมน", family_name_th="รักษาเกียรติ", given_name_en="Kantimon",
        family_name_en="Raksakiat", phone="+4712345678",
    )  # fmt: skip
    return profile.user


def test_tokens_are_128_random_bits_in_base32_shown_in_groups():
    token = new_public_token()
    assert len(token) == 26 and set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert token[0] in "ABCDEFGH"  # 128 bits = 3 + 25 x 5: the first character carries 3 bits
    assert normalise_token(group_token(token).lower()) == token
    assert len({new_public_token() for _ in range(200)}) == 200


def test_a_completion_issues_one_certificate_with_what_is_printed(course, volunteer):
    completed = datetime.datetime(2026, 11, 24, 20, 0, tzinfo=datetime.UTC)  # 25 Nov in Bangkok
    notify_course_completed(volunteer=volunteer, course=course, completed_at=completed)
    certificate = Certificate.objects.get(volunteer=volunteer, course=course)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.holder_name_th == "นางสาวกานติมน รักษาเกียรติ"
    assert certificate.holder_name_en == "Ms Kantimon Raksakiat"
    assert certificate.course_title_th == "หลักสูตรปฐมนิเทศ"
    assert certificate.snapshot["issued_on"] == "2026-11-25"
    assert certificate.serial.startswith("MSDHS-2026-")
    assert ModelLogEntry.objects.filter(action="certificates.issue", object_id=str(certificate.pk)).exists()


def test_issuing_again_returns_the_same_certificate(course, volunteer):
    first = certificate_issue(volunteer=volunteer, course=course)
    second = certificate_issue(volunteer=volunteer, course=course)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_the_database_allows_one_valid_certificate_per_volunteer_and_course(course, volunteer):
    from django.db import IntegrityError, transaction

    certificate = certificate_issue(volunteer=volunteer, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            volunteer=volunteer, course=course, serial="MSDHS-2026-999999", issued_at=certificate.issued_at,
            course_title_th="x", status_list_index=certificate.status_index + 1,
        )  # fmt: skip


def test_serials_count_up_within_a_year(course):
    serials = [certificate_issue(volunteer=make_volunteer().user, course=course).serial for _ in range(3)]
    numbers = [int(serial.rsplit("-", 1)[1]) for serial in serials]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_a_course_without_certificates_issues_none(volunteer):
    course, _module, _lesson = make_course_tree(title="How to use the platform")
    course.issues_certificate = False
    course.save()
    assert certificate_issue(volunteer=volunteer, course=course) is None


def test_later_edits_never_change_what_was_printed(course, volunteer):
    certificate = certificate_issue(volunteer=volunteer, course=course)
    pdf = certificate_pdf_bytes(certificate)
    profile = volunteer.volunteer_profile
    profile.given_name_th = "ชื่อใหม่"
    profile.save()
    course.title = "ชื่อหลักสูตรใหม่"
    course.save_revision().publish()
    CertificateTemplate.objects.create(
        name="Default", signatory_name="Someone else", signatory_title="Director"
    )
    certificate.refresh_from_db()
    assert certificate.holder_name_th == "นางสาวกานติมน รักษาเกียรติ"
    assert certificate_pdf_bytes(certificate) == pdf


def test_the_credential_is_signed_and_verifies_with_the_issuer_profile(client, course, volunteer):
    certificate = certificate_issue(volunteer=volunteer, course=course)
    profile = client.get("/certificates/issuer.json").json()
    status_list = client.get("/certificates/status/revocation.json").json()
    trusted = [f"{settings.SITE_URL}/certificates/issuer.json"]
    openbadges.verify_credential(certificate.credential, profile, status_list, trusted_issuers=trusted)
    text = str(certificate.credential)
    assert volunteer.email not in text and "+4712345678" not in text


def test_the_pdf_is_stored_with_its_sha256_after_commit(
    course, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(volunteer=volunteer, course=course)
    certificate.refresh_from_db()
    assert certificate.pdf.name.startswith("certificates/")
    with private_storage().open(certificate.pdf.name) as handle:
        stored = handle.read()
    assert not default_storage.exists(certificate.pdf.name)  # never in the public media
    assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256
    assert stored == certificate_pdf_bytes(certificate)  # re-rendering gives the same bytes


def test_a_storage_outage_still_issues_and_the_pdf_is_stored_later(
    course, volunteer, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_save(*args, **kwargs):
        raise OSError("storage is down")

    monkeypatch.setattr(private_storage(), "save", broken_save)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(volunteer=volunteer, course=course)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert not certificate.pdf
    monkeypatch.undo()
    assert certificates_render_pending() == (1, 0)
    certificate.refresh_from_db()
    assert certificate.pdf and len(certificate.pdf_sha256) == 64


def test_the_issuer_info_uses_site_url(settings):
    settings.SITE_URL = "https://training.example.org"
    assert issuer_info().profile_url == "https://training.example.org/certificates/issuer.json"


@pytest.mark.scaleout
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_completions_issue_one_certificate():
    import threading

    course, _module, _lesson = make_course_tree(title="Concurrency")
    volunteer = make_user(email_confirmed_at=timezone.now())  # certificates go to confirmed addresses
    barrier = threading.Barrier(20)
    errors = []

    def complete():
        try:
            barrier.wait()
            certificate_issue(volunteer=volunteer, course=course)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(volunteer=volunteer, course=course, status="valid").count() == 1
    assert Certificate.objects.count() == 1


def test_credential_signature_breaks_when_changed(course, volunteer):
    certificate = certificate_issue(volunteer=volunteer, course=course)
    changed = {**certificate.credential, "name": "Something else"}
    with pytest.raises(credentials.ProofError):
        from certificates.keys import signing_key

        credentials.verify(changed, signing_key().public_key())


def test_the_render_pending_command_stores_missing_pdfs_and_says_so(course, volunteer, capsys):
    from django.core.management import call_command

    certificate = certificate_issue(volunteer=volunteer, course=course)  # on_commit never ran: no PDF
    assert not Certificate.objects.get(pk=certificate.pk).pdf
    call_command("certificates_render_pending")
    assert "Stored 1 PDF(s); 0 failed." in capsys.readouterr().out
    assert Certificate.objects.get(pk=certificate.pk).pdf


def test_the_recipient_salt_fits_its_column(course, volunteer):
    certificate = certificate_issue(volunteer=volunteer, course=course)
    field = Certificate._meta.get_field("recipient_salt")
    assert 16 <= len(certificate.recipient_salt) <= field.max_length
