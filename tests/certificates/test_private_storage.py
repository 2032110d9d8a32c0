"""Certificate PDFs live in private storage, reached only through the permission-checked view, and
the command that moves PDFs stored by earlier releases in public media into it."""

import hashlib
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings

from certificates.models import Certificate
from certificates.services import certificate_pdf_bytes, certificate_revoke
from tests.certificates.conftest import download
from tests.factories import PASSWORD, make_user, make_volunteer
from training.storage import PrivateFileSystemStorage, check_private_storage_is_not_public, private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(stored_certificate):
    return stored_certificate


def old_public_copy(certificate: Certificate) -> str:
    """What earlier releases did: the PDF in the public media storage, the row naming it."""
    private_storage().delete(certificate.pdf.name)
    private_storage().delete(f"certificates/{certificate.serial}.pdf")
    # In a folder of this test's own: the workers of a run share the public bucket on the scale-out
    # stack, and each issues MSDHS-2026-000001 in its own database (one worker's copy was once moved
    # away by another's command).
    folder = f"certificates/{uuid.uuid4().hex[:8]}"
    name = default_storage.save(f"{folder}/{certificate.serial}.pdf", ContentFile(b"%PDF-old " * 40))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=name)
    return name


@override_settings(ROOT_URLCONF="tests.media_urls")
def test_anyone_fetching_public_media_never_gets_a_certificate_pdf(client, certificate):
    certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="ทดสอบ")
    Certificate.objects.filter(pk=certificate.pk).update(name_hidden=True)
    probe = Path(settings.MEDIA_ROOT) / "tests" / "public-probe.txt"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_bytes(b"public lesson media")
    try:
        assert client.get(f"{settings.MEDIA_URL}tests/public-probe.txt").status_code == 200  # media is served
    finally:
        probe.unlink()
    assert certificate.pdf.name.startswith("certificates/")
    assert client.get(f"{settings.MEDIA_URL}certificates/{certificate.serial}.pdf").status_code == 404
    assert client.get(settings.MEDIA_URL + certificate.pdf.name).status_code == 404
    assert not default_storage.exists(certificate.pdf.name)
    assert private_storage().exists(certificate.pdf.name)


def test_the_holder_gets_the_stored_pdf_through_the_view_and_strangers_do_not(client, certificate):
    assert client.get(f"/certificates/{certificate.token}.pdf").status_code == 302  # to the login
    stranger = make_volunteer()
    client.login(email=stranger.user.email, password=PASSWORD)
    assert client.get(f"/certificates/{certificate.token}.pdf").status_code == 404
    assert hashlib.sha256(download(client, certificate)).hexdigest() == certificate.pdf_sha256


def test_a_private_file_on_the_local_disk_has_no_url(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path)
    name = storage.save("certificates/x.pdf", ContentFile(b"%PDF"))
    with pytest.raises(ValueError, match="no URL"):
        storage.url(name)


def test_private_files_on_the_local_disk_live_in_private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    path = PrivateFileSystemStorage().path("certificates/x.pdf")
    assert path == str(tmp_path / "private" / "certificates" / "x.pdf")


def test_the_system_check_refuses_private_files_inside_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    private = {"BACKEND": "training.storage.PrivateFileSystemStorage"}
    settings.STORAGES = {**settings.STORAGES, "private": private}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert check_private_storage_is_not_public(None) == []
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media" / "private"
    assert [error.id for error in check_private_storage_is_not_public(None)] == ["training.E011"]


def test_the_system_check_refuses_private_files_among_the_buckets_public_keys(settings):
    s3 = {"BACKEND": "storages.backends.s3.S3Storage"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**s3, "OPTIONS": {"bucket_name": "media"}},
        "private": {**s3, "OPTIONS": {"bucket_name": "media", "location": ""}},
    }
    assert [error.id for error in check_private_storage_is_not_public(None)] == ["training.E012"]
    settings.STORAGES["private"]["OPTIONS"]["location"] = "private"
    assert check_private_storage_is_not_public(None) == []
    settings.STORAGES["private"]["OPTIONS"] = {"bucket_name": "private-files", "location": ""}
    assert check_private_storage_is_not_public(None) == []


def test_the_move_command_moves_an_old_public_pdf_once_and_says_so(client, certificate, capsys):
    name = old_public_copy(certificate)
    call_command("private_files_move")
    assert "Moved 1 file(s) to private storage; 0 already private; 0 missing." in capsys.readouterr().out
    assert not default_storage.exists(name)
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    with private_storage().open(name) as handle:
        assert handle.read() == b"%PDF-old " * 40
    assert download(client, certificate) == b"%PDF-old " * 40

    call_command("private_files_move")  # the second run finds nothing to do
    assert "Moved 0 file(s) to private storage; 1 already private; 0 missing." in capsys.readouterr().out
    certificate.refresh_from_db()
    assert certificate.pdf.name == name and private_storage().exists(name)


def test_a_dry_run_counts_and_changes_nothing(certificate, capsys):
    name = old_public_copy(certificate)
    call_command("private_files_move", "--dry-run")
    assert "Would move 1 file(s)" in capsys.readouterr().out
    assert default_storage.exists(name) and not private_storage().exists(name)


def test_an_interrupted_move_is_finished_and_a_different_private_file_is_never_taken_for_it(
    certificate, capsys
):
    name = old_public_copy(certificate)
    private_storage().save(name, ContentFile(b"%PDF-something else"))  # same name, other bytes
    call_command("private_files_move")
    assert "Moved 1 file(s)" in capsys.readouterr().out
    certificate.refresh_from_db()
    assert certificate.pdf.name != name  # stored beside the unrelated file, and the row follows it
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-old " * 40
    assert not default_storage.exists(name)
    private_storage().delete(name)

    name = old_public_copy(certificate)
    private_storage().save(name, ContentFile(b"%PDF-old " * 40))  # copied, public copy not yet deleted
    call_command("private_files_move")
    assert "Moved 1 file(s)" in capsys.readouterr().out
    certificate.refresh_from_db()
    assert certificate.pdf.name == name and not default_storage.exists(name)


def test_a_pdf_in_neither_storage_is_reported_and_forgotten_only_when_asked(certificate, capsys):
    name = certificate.pdf.name
    private_storage().delete(name)
    with pytest.raises(CommandError, match="neither storage"):
        call_command("private_files_move")
    assert f"Certificate {certificate.pk}" in capsys.readouterr().err
    assert Certificate.objects.get(pk=certificate.pk).pdf.name == name
    call_command("private_files_move", "--forget-missing")
    assert not Certificate.objects.get(pk=certificate.pk).pdf
    call_command("certificates_render_pending")
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == certificate_pdf_bytes(certificate)


@override_settings(ROOT_URLCONF="tests.media_urls")
def test_no_path_under_media_reaches_the_private_folder(client, certificate):
    """A stranger walking up from /media/ (encoded or not) never reaches the private files."""
    relative = (
        Path(settings.PRIVATE_MEDIA_ROOT).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve().parent)
    )
    for path in (
        f"../{relative}/{certificate.pdf.name}",
        f"..%2f{relative}%2f{certificate.pdf.name}",
        f"%2e%2e/{relative}/{certificate.pdf.name}",
    ):
        response = client.get(settings.MEDIA_URL + path)
        assert response.status_code in (400, 404), path  # a suspicious path, or no such file
        assert b"%PDF" not in response.content
