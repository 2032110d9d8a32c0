"""Scale-out media: images, renditions and lesson videos live in the S3 bucket."""

import boto3
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_document, make_image

pytestmark = pytest.mark.scaleout


def bucket_keys(prefix: str) -> list[str]:
    options = settings.STORAGES["default"]["OPTIONS"]
    s3 = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    listing = s3.list_objects_v2(Bucket=options["bucket_name"], Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


@pytest.mark.django_db
def test_an_image_rendition_is_written_to_the_s3_bucket():
    image = make_image(title="Bucket image", size=(900, 500))
    rendition = image.get_rendition("width-400|format-webp")
    try:
        assert bucket_keys(image.file.name) == [image.file.name]
        assert bucket_keys(rendition.file.name) == [rendition.file.name]
        assert rendition.width == 400
    finally:
        rendition.file.delete(save=False)
        image.file.delete(save=False)


@pytest.mark.django_db
def test_public_media_urls_are_unsigned_and_anyone_can_read_them():
    """Pages and the offline app cache media by URL: it must not change or expire."""
    import urllib.request

    image = make_image(title="Public image")
    rendition = image.get_rendition("width-40")
    try:
        for url in (image.file.url, rendition.url):
            assert url.startswith(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"])
            assert "?" not in url and "Signature" not in url
            with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the local S3 server)
                assert answer.status == 200
    finally:
        rendition.file.delete(save=False)
        image.file.delete(save=False)


@pytest.mark.django_db
def test_a_lesson_video_on_s3_redirects_to_the_bucket_which_answers_range_requests(client):
    import urllib.request

    video = make_document(title="Bucket clip", filename="bucket-clip.mp4", content=bytes(range(256)) * 8)
    try:
        response = client.get(reverse("courses:lesson_media", args=[video.id, video.filename]))
        assert response.status_code == 302
        location = response["Location"]
        assert location.startswith(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"])
        request = urllib.request.Request(location, headers={"Range": "bytes=10-19"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            assert answer.status == 206
            assert answer.read() == (bytes(range(256)) * 8)[10:20]
    finally:
        video.file.delete(save=False)
