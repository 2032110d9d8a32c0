"""Verify a certificate's signed credential offline, as any relying party would."""

import json
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.openbadges import CredentialInvalid, verify_credential


def load_json(source: str) -> dict:
    """A JSON document from a file path or an http(s) URL."""
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (http(s) only)
                return json.load(response)
        return json.loads(Path(source).read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"Cannot read {source}: {error}") from error


class Command(BaseCommand):
    help = (
        "Verify a credential (FILE.json) with nothing but the issuer's public keys and its status list. "
        "By default both are fetched from the URLs the credential names; --issuer and --status take "
        "local copies instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("credential", help="the credential JSON file")
        parser.add_argument(
            "--issuer", help="the issuer profile (file or URL); default: the credential's issuer id"
        )
        parser.add_argument(
            "--status", help="the status list credential (file or URL); default: from the credential"
        )

    def handle(self, *args, credential, issuer=None, status=None, **options):
        document = load_json(credential)
        issuer_ref = document.get("issuer")
        issuer_id = issuer_ref.get("id") if isinstance(issuer_ref, dict) else issuer_ref
        profile = load_json(issuer or str(issuer_id))
        status_entry = document.get("credentialStatus")
        status_list = None
        if status or status_entry:
            status_list = load_json(status or status_entry["statusListCredential"])
        try:
            verify_credential(document, profile, status_list)
        except CredentialInvalid as error:
            raise CommandError(f"NOT VALID: {error}") from error
        self.stdout.write(
            self.style.SUCCESS("VALID: the signature matches the issuer's key and it is not revoked.")
        )
