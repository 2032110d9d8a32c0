"""`manage.py storage_setup` (training/buckets.py): the buckets a deploy needs, created once, with
public read on the media bucket only."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.test import override_settings
from storages.backends.s3 import S3Storage

from tests.anonymous_http import anonymous_status
from training.buckets import public_read_policy


def setup_output() -> str:
    out = io.StringIO()
    call_command("storage_setup", stdout=out)
    return out.getvalue()


@pytest.mark.embedded_only
def test_with_local_folders_there_is_nothing_to_set_up():
    assert setup_output() == "Files are kept in local folders: no bucket to set up.\n"


def test_the_media_policy_lets_anyone_get_objects_and_nothing_else():
    policy = public_read_policy("training-media")
    assert '"Action": ["s3:GetObject"]' in policy
    assert '"Resource": ["arn:aws:s3:::training-media/*"]' in policy
    assert "s3:ListBucket" not in policy and "s3:PutObject" not in policy


def fresh_buckets(**names) -> dict:
    """STORAGES with new buckets (the test S3 server's connection) for the given aliases."""
    result = {alias: dict(value) for alias, value in settings.STORAGES.items()}
    for alias, bucket in names.items():
        result[alias] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**settings.STORAGES["private"]["OPTIONS"], "bucket_name": bucket},
        }
        if alias == "default":
            result[alias]["OPTIONS"].pop("location")
            result[alias]["OPTIONS"]["querystring_auth"] = False
    return result


@pytest.mark.scaleout
def test_a_new_store_gets_its_buckets_media_read_by_anyone_private_by_nobody_and_a_rerun_changes_nothing():
    run = uuid.uuid4().hex[:8]
    media, private, backups = f"media-{run}", f"private-{run}", f"backups-{run}"
    with override_settings(STORAGES=fresh_buckets(default=media, private=private, backups=backups)):
        first = setup_output()
        assert f"{media} (public media): created" in first
        assert f"{private} (private files): created" in first
        assert f"{backups} (backups): created" in first
        assert f"{media}: anyone may read its objects (GET), nobody may list or write them" in first

        lesson = storages["default"].save("images/check.txt", ContentFile(b"lesson"))
        secret = storages["private"].save("certificates/check.pdf", ContentFile(b"%PDF"))
        assert anonymous_status(storages["default"].url(lesson)) == 200
        unsigned = S3Storage(**{**settings.STORAGES["private"]["OPTIONS"], "querystring_auth": False})
        assert anonymous_status(unsigned.url(secret)) == 403

        again = setup_output()
        assert f"{media} (public media): there already" in again
        assert f"{private} (private files): there already" in again
        assert storages["default"].exists(lesson)


@pytest.mark.scaleout
def test_a_media_bucket_shared_with_private_files_gets_no_public_policy():
    shared = f"shared-{uuid.uuid4().hex[:8]}"
    refused = pytest.raises(CommandError, match=r"also holds the private files: a public policy")
    with override_settings(STORAGES=fresh_buckets(default=shared, private=shared)), refused:
        setup_output()
