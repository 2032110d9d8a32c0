"""Uploads: too large, decompression bombs, and content that does not match the file's name are refused
with a clear message and a 4xx, and nothing is stored."""

import io
import struct
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import PASSWORD, english_admin, make_course_tree, make_user
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
MISMATCH = "content does not match its name"


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG whose header claims a huge picture: a decompression bomb's shape."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = data[16:29]
    ihdr[0:8] = struct.pack(">II", width, height)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return bytes(data)


@pytest.fixture
def staff(client):
    user = english_admin(make_user(group="Staff"))
    client.login(email=user.email, password=PASSWORD)
    return user


@pytest.fixture
def superuser(client):
    user = english_admin(
        get_user_model().objects.create_superuser(email="root.uploads@example.org", password=PASSWORD)
    )
    client.login(email=user.email, password=PASSWORD)
    return user


def test_a_picture_named_pdf_is_refused_by_the_verify_tool(client, staff):
    response = client.post(
        "/admin/certificates/issued/verify/",
        {"pdf": SimpleUploadedFile("certificate.pdf", png_bytes(), "application/pdf")},
    )
    assert response.status_code == 400
    assert "it is not a .pdf file" in response.content.decode()


def test_an_oversized_pdf_is_refused_by_the_verify_tool(client, staff):
    big = b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 10)
    response = client.post("/admin/certificates/issued/verify/", {"pdf": SimpleUploadedFile("big.pdf", big)})
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.csv", HTML, MISMATCH),
        ("people.csv", b"PK\x03\x04" + b"\x00" * 100, MISMATCH),  # a spreadsheet saved as .xlsx, renamed
        ("people.csv", b"\xef\xbb\xbf  <html><p>email</p></html>", MISMATCH),
        ("people.html", b"email,given_name_th,family_name_th\n", "Choose a file ending in .csv, .txt"),
        ("people.csv", b"email\n" + b"a" * (2 * 1024 * 1024 + 1), "larger than 2.0"),
    ],
)
def test_the_volunteer_import_refuses_files_that_are_not_csv_or_too_large(
    client, staff, name, content, message
):
    before = VolunteerProfile.objects.count()
    response = client.post(
        "/admin/volunteers/import/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert VolunteerProfile.objects.count() == before


def test_the_enrolment_csv_refuses_a_web_page_named_csv(client, staff):
    course, _module, _lesson = make_course_tree()
    response = client.post(
        "/admin/courses/enrol/",
        {"course": course.pk, "file": SimpleUploadedFile("people.csv", HTML, "text/csv")},
    )
    assert response.status_code == 400
    assert MISMATCH in response.content.decode()


def image_upload(client, name: str, content: bytes):
    collection = Collection.objects.get(name="Training media")
    return client.post(
        "/admin/images/add/",
        {
            "title": "Upload",
            "collection": collection.pk,
            "file": SimpleUploadedFile(name, content, "image/jpeg"),
        },
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a picture\n" * 20, "Upload a valid image"),
        (png_bytes(), "Not a valid .jpeg image. The extension does not match the file format (png)"),
    ],
)
def test_a_file_named_jpg_that_is_not_a_jpeg_is_refused_as_an_image(client, superuser, content, message):
    response = image_upload(client, "photo.jpg", content)
    assert 400 <= response.status_code < 500
    assert message in response.content.decode()
    assert not get_image_model().objects.exists()


def test_an_image_larger_than_the_upload_limit_is_refused(client, superuser, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    response = image_upload(client, "big.png", png_bytes((200, 200)) + b"\x00" * 2000)
    assert 400 <= response.status_code < 500
    assert "This file is too big" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, superuser, settings):
    bomb = png_claiming(60_000, 60_000)  # 3.6 billion pixels in 70 bytes
    assert len(bomb) < 100
    response = image_upload(client, "bomb.png", bomb)
    assert 400 <= response.status_code < 500
    assert "too many pixels" in response.content.decode()
    assert not get_image_model().objects.exists()


def test_a_web_page_named_pdf_is_refused_as_a_document(client, superuser):
    collection = Collection.objects.get(name="Training media")
    response = client.post(
        "/admin/documents/add/",
        {"title": "Handout", "collection": collection.pk, "file": SimpleUploadedFile("handout.pdf", HTML)},
    )
    assert 400 <= response.status_code < 500
    assert "it is not a .pdf file" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_request_body_above_the_memory_limit_is_refused_with_413(client):
    # Refused by its size before it is read (training.request_limits), no longer by Django's parser.
    response = client.post("/accounts/login/", {"username": "a" * 3_000_000, "password": "x"})
    assert response.status_code == 413
