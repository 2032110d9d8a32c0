"""The issuer's signing key: loaded from the environment or a key file, registered by its public key.

`CERTIFICATE_SIGNING_KEY` holds an Ed25519 private key in Multikey form (``z3u2...``), or
`CERTIFICATE_SIGNING_KEY_FILE` names a file that does. In development and tests, when neither is
set, a key file is generated on first use; production settings refuse to start without a key.
"""

import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import credentials
from certificates.models import IssuerKey


def _key_file() -> Path | None:
    path = getattr(settings, "CERTIFICATE_SIGNING_KEY_FILE", "")
    return Path(path) if path else None


def write_key_file(path: Path, key: Ed25519PrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(credentials.private_key_to_multibase(key) + "\n")


@functools.cache
def signing_key() -> Ed25519PrivateKey:
    """The private key that signs new credentials."""
    if settings.CERTIFICATE_SIGNING_KEY:
        return credentials.private_key_from_multibase(settings.CERTIFICATE_SIGNING_KEY.strip())
    path = _key_file()
    if path is None:
        raise ImproperlyConfigured("Set CERTIFICATE_SIGNING_KEY or CERTIFICATE_SIGNING_KEY_FILE.")
    if not path.exists():
        if not settings.CERTIFICATE_DEV_KEY_ALLOWED:
            raise ImproperlyConfigured(f"The certificate signing key file {path} does not exist.")
        write_key_file(path, credentials.generate_private_key())
    return credentials.private_key_from_multibase(path.read_text().strip())


def register_public_key(key: Ed25519PrivateKey) -> IssuerKey:
    """The published record of a key, created with the next number the first time it is used."""
    public = credentials.public_key_to_multibase(key.public_key())
    existing = IssuerKey.objects.filter(public_key_multibase=public).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            last = IssuerKey.objects.select_for_update().order_by("-number").first()
            return IssuerKey.objects.create(
                number=(last.number + 1) if last else 1, public_key_multibase=public
            )
    except IntegrityError:  # another process registered it (or took the number) first
        return IssuerKey.objects.get(public_key_multibase=public)


def current_issuer_key() -> IssuerKey:
    return register_public_key(signing_key())


def rotate_signing_key() -> tuple[IssuerKey, Ed25519PrivateKey]:
    """Make a new signing key, publish its public key, and mark the older keys retired.

    Retired keys stay in the issuer profile, so credentials they signed keep verifying.
    """
    new_key = credentials.generate_private_key()
    with transaction.atomic():
        IssuerKey.objects.filter(retired_at__isnull=True).update(retired_at=timezone.now())
        record = register_public_key(new_key)
    path = _key_file()
    if not settings.CERTIFICATE_SIGNING_KEY and path is not None:
        write_key_file(path, new_key)
    signing_key.cache_clear()
    return record, new_key
