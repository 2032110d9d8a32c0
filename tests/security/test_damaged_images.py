"""A picture with a valid header and a damaged body (issue 19, low): the trainer gets a form error
("Upload a valid image"), never a 500, and nothing is stored; whole pictures still upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.factories import english_admin, make_user
from tests.security.test_uploads import png_bytes

pytestmark = pytest.mark.django_db

INVALID = "Upload a valid image"


def jpeg_bytes(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (11, 83, 148)).save(buffer, format="JPEG")
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("P", (32, 32)).save(buffer, format="GIF")
    return buffer.getvalue()


DAMAGED = {
    # The signature and the size of a picture, then garbage where the pixels should be.
    "png, header then garbage": ("photo.png", png_bytes((64, 48))[:33] + b"garbage!" * 300),
    "jpeg, header then garbage": ("photo.jpg", jpeg_bytes()[:200] + b"\x00garbage" * 300),
    "jpeg, cut short": ("photo.jpg", jpeg_bytes()[:-400]),
    "gif, header then garbage": ("photo.gif", gif_bytes()[:13] + b"\xff" * 2000),
    "webp, header then garbage": ("photo.webp", b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"\xff" * 2000),
}


@pytest.fixture
def trainer(client):
    user = english_admin(make_user(is_superuser=True))
    client.force_login(user)
    client.raise_request_exception = False
    return user


def collection_pk() -> int:
    return Collection.objects.get(name="Training media").pk


@pytest.mark.parametrize("name,content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_picture_is_a_form_error_in_the_image_library(client, trainer, name, content):
    upload = SimpleUploadedFile(name, content, "image/jpeg")
    response = client.post(
        "/admin/images/add/", {"title": "Damaged", "collection": collection_pk(), "file": upload}
    )
    assert response.status_code == 400
    assert INVALID in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name,content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_picture_is_refused_by_the_multiple_uploader_and_the_chooser(
    client, trainer, name, content
):
    response = client.post(
        "/admin/images/multiple/add/",
        {"collection": collection_pk(), "files[]": SimpleUploadedFile(name, content, "image/jpeg")},
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert INVALID in response.json()["error_message"]
    response = client.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": "Damaged",
            "image-chooser-upload-collection": collection_pk(),
            "image-chooser-upload-file": SimpleUploadedFile(name, content, "image/jpeg"),
        },
    )
    assert response.status_code < 500
    assert INVALID in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    "name,content", [("photo.jpg", jpeg_bytes()), ("photo.png", png_bytes((64, 48))), ("a.gif", gif_bytes())]
)
def test_a_whole_picture_still_uploads_and_renders(client, trainer, name, content):
    upload = SimpleUploadedFile(name, content, "image/jpeg")
    response = client.post(
        "/admin/images/add/", {"title": "Whole", "collection": collection_pk(), "file": upload}
    )
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert image.get_rendition("max-165x165").width > 0
    response = client.post(
        "/admin/images/multiple/add/",
        {"collection": collection_pk(), "files[]": SimpleUploadedFile(name, content, "image/jpeg")},
    )
    assert response.json()["success"] is True
    # The uploader's form for the new image's title and tags (it has no file field).
    image = get_image_model().objects.latest("pk")
    response = client.post(
        f"/admin/images/multiple/{image.pk}/",
        {f"image-{image.pk}-title": "Renamed", f"image-{image.pk}-collection": collection_pk()},
    )
    assert response.json()["success"] is True


def test_a_process_that_has_made_a_certificate_pdf_still_refuses_a_truncated_picture():
    """WeasyPrint tells Pillow to accept truncated pictures in the whole process when it is imported;
    the certificate PDF code puts that back, so uploads are judged the same in every process."""
    from PIL import ImageFile

    from certificates.pdf import weasyprint_module

    weasyprint_module()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
