"""The signing key: generated in development, published in the issuer profile, rotated safely."""

import io
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from certificates import credentials, keys
from certificates.models import IssuerKey

pytestmark = pytest.mark.django_db
W3C_PRIVATE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


@pytest.fixture
def key_file(tmp_path, settings):
    settings.CERTIFICATE_SIGNING_KEY = ""
    settings.CERTIFICATE_SIGNING_KEY_FILE = str(tmp_path / "keys" / "signing.key")
    keys.signing_key.cache_clear()
    yield tmp_path / "keys" / "signing.key"
    keys.signing_key.cache_clear()


def test_a_development_key_file_is_generated_once_and_kept_private(key_file):
    first = keys.signing_key()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    keys.signing_key.cache_clear()
    assert credentials.private_key_to_multibase(keys.signing_key()) == credentials.private_key_to_multibase(
        first
    )


def test_without_a_key_and_without_development_keys_the_app_refuses(key_file, settings):
    settings.CERTIFICATE_DEV_KEY_ALLOWED = False
    with pytest.raises(ImproperlyConfigured):
        keys.signing_key()


def test_a_key_from_the_environment_is_used_and_published(settings):
    keys.signing_key.cache_clear()
    with override_settings(CERTIFICATE_SIGNING_KEY=W3C_PRIVATE):
        record = keys.current_issuer_key()
    keys.signing_key.cache_clear()
    assert record.public_key_multibase == W3C_PUBLIC
    assert record.key_id == "key-1"


def test_the_issuer_profile_publishes_the_current_key(client, key_file, settings):
    settings.SITE_URL = "https://training.example.org"
    response = client.get("/certificates/issuer.json")
    assert response.status_code == 200
    profile = response.json()
    assert profile["id"] == "https://training.example.org/certificates/issuer.json"
    public = credentials.public_key_to_multibase(keys.signing_key().public_key())
    assert profile["verificationMethod"] == [
        {
            "id": "https://training.example.org/certificates/issuer.json#key-1",
            "type": "Multikey",
            "controller": "https://training.example.org/certificates/issuer.json",
            "publicKeyMultibase": public,
        }
    ]


def test_after_rotation_old_signatures_still_verify_from_the_profile(client, key_file):
    old_key = keys.signing_key()
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "ทดสอบ"}
    old_record = keys.current_issuer_key()
    signed = credentials.sign(
        document, old_key, verification_method=f"x#{old_record.key_id}", created="2026-01-01T00:00:00Z"
    )
    out = io.StringIO()
    call_command("certificates_rotate_key", stdout=out)
    assert "key-2" in out.getvalue()
    assert (
        credentials.public_key_to_multibase(keys.signing_key().public_key())
        != old_record.public_key_multibase
    )

    profile = client.get("/certificates/issuer.json").json()
    published = {m["id"].rsplit("#", 1)[1]: m["publicKeyMultibase"] for m in profile["verificationMethod"]}
    assert set(published) == {"key-1", "key-2"}
    credentials.verify(signed, credentials.public_key_from_multibase(published["key-1"]))
    assert IssuerKey.objects.get(number=1).retired_at is not None
    assert IssuerKey.objects.get(number=2).retired_at is None


def test_rotation_with_an_environment_key_hands_the_new_key_to_the_operator(settings):
    settings.CERTIFICATE_SIGNING_KEY = W3C_PRIVATE
    keys.signing_key.cache_clear()
    out = io.StringIO()
    call_command("certificates_rotate_key", stdout=out)
    keys.signing_key.cache_clear()
    printed = out.getvalue().strip().splitlines()[-1]
    assert printed.startswith("z3u2") and printed != W3C_PRIVATE
    credentials.private_key_from_multibase(printed)
