"""On S3: certificate PDFs sit in the private bucket, which anonymous clients cannot read, and reach
their holder only through the view; PDFs an earlier release left in the public bucket are moved."""

import hashlib
import json

import boto3
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from storages.backends.s3 import S3Storage

from certificates.models import Certificate
from tests.anonymous_http import anonymous_status
from tests.certificates.conftest import download
from training.storage import private_storage

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db]


@pytest.fixture
def certificate(stored_certificate):
    return stored_certificate


def unsigned_url(alias: str, name: str) -> str:
    return S3Storage(**{**settings.STORAGES[alias]["OPTIONS"], "querystring_auth": False}).url(name)


def bucket_keys(alias: str) -> list[str]:
    options = settings.STORAGES[alias]["OPTIONS"]
    s3 = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    listing = s3.list_objects_v2(Bucket=options["bucket_name"])
    return [item["Key"] for item in listing.get("Contents", [])]


def test_the_private_bucket_refuses_anonymous_reads_and_the_holder_gets_the_pdf_through_the_view(
    client, certificate
):
    name = certificate.pdf.name
    private_key = f"{settings.STORAGES['private']['OPTIONS']['location']}/{name}"
    assert private_key in bucket_keys("private")
    assert name not in bucket_keys("default")
    assert anonymous_status(unsigned_url("private", name)) == 403
    assert anonymous_status(unsigned_url("default", name)) in {403, 404}
    assert hashlib.sha256(download(client, certificate)).hexdigest() == certificate.pdf_sha256


def test_the_move_command_takes_an_old_pdf_out_of_the_public_bucket(client, certificate, capsys):
    private_storage().delete(certificate.pdf.name)
    old = default_storage.save(f"certificates/{certificate.serial}.pdf", ContentFile(b"%PDF-old " * 40))
    Certificate.objects.filter(pk=certificate.pk).update(pdf=old)
    assert anonymous_status(unsigned_url("default", old)) == 200  # what earlier releases exposed

    call_command("private_files_move")
    assert "Moved 1 file(s) to private storage; 0 already private; 0 missing." in capsys.readouterr().out
    assert anonymous_status(unsigned_url("default", old)) in {403, 404}
    assert anonymous_status(unsigned_url("private", old)) == 403
    assert download(client, certificate) == b"%PDF-old " * 40
    call_command("private_files_move")
    assert "Moved 0 file(s) to private storage; 1 already private; 0 missing." in capsys.readouterr().out


def test_one_bucket_keeps_its_private_prefix_private_under_the_documented_policy():
    """docs/operations.md: without a private bucket, the media bucket's policy names its public
    prefixes, and private files under AWS_PRIVATE_LOCATION stay unreadable to strangers."""
    options = settings.STORAGES["default"]["OPTIONS"]
    bucket = "training-one-bucket-check"
    s3 = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )
    s3.create_bucket(Bucket=bucket)
    public_prefixes = ["original_images", "images", "documents"]
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicReadMedia",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": [f"arn:aws:s3:::{bucket}/{prefix}/*" for prefix in public_prefixes],
                    }
                ],
            }
        ),
    )
    public = S3Storage(**{**options, "bucket_name": bucket})
    private_options = {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": bucket}
    private = S3Storage(**private_options)
    names = [public.save(f"{prefix}/check.txt", ContentFile(b"lesson")) for prefix in public_prefixes]
    secret = private.save("certificates/check.pdf", ContentFile(b"%PDF"))
    try:
        assert all(anonymous_status(public.url(name)) == 200 for name in names)
        plain = S3Storage(**{**private_options, "querystring_auth": False})
        # Under "private/" (the test workers each keep a prefix of their own inside it).
        assert private_options["location"].split("/")[0] == "private"
        assert plain.url(secret).endswith(f"/{bucket}/{private_options['location']}/certificates/check.pdf")
        assert anonymous_status(plain.url(secret)) == 403
        with private.open(secret) as handle:  # the app itself still reads it
            assert handle.read() == b"%PDF"
    finally:
        for name in names:
            public.delete(name)
        private.delete(secret)
        s3.delete_bucket_policy(Bucket=bucket)
        s3.delete_bucket(Bucket=bucket)
