import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

pytestmark = pytest.mark.scaleout


def bucket_keys() -> list[str]:
    options = settings.STORAGES["default"]["OPTIONS"]
    s3 = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    listing = s3.list_objects_v2(Bucket=options["bucket_name"], Prefix="tests/")
    return [item["Key"] for item in listing.get("Contents", [])]


def test_a_file_saved_through_the_default_storage_lands_in_the_s3_bucket():
    name = default_storage.save("tests/ทดสอบ-storage.txt", ContentFile("สวัสดี".encode()))
    try:
        assert name in bucket_keys()
        with default_storage.open(name) as handle:
            assert handle.read().decode() == "สวัสดี"
    finally:
        default_storage.delete(name)
    assert name not in bucket_keys()
