"""Verify a certificate's signed credential offline, as any relying party would, against a pinned issuer."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.openbadges import (
    CredentialExpired,
    CredentialInvalid,
    verify_credential_proof,
    verify_credential_status,
    verify_credential_validity,
)
from certificates.verifier import (
    SourceRefused,
    fetch_json,
    is_http_url,
    is_under_issuer,
    load_operator_json,
    trusted_issuers,
)


class Command(BaseCommand):
    help = (
        "Verify a credential (FILE.json or URL) with nothing but the issuer's public keys and its status "
        "list. The issuer is pinned: this site's issuer (SITE_URL), or CERTIFICATE_TRUSTED_ISSUERS, or "
        "--issuer. Only http(s) documents under the pinned issuer are fetched, never a path the credential "
        "names; --issuer and --status may name local copies instead. A genuine, unrevoked credential whose "
        "validUntil has passed is reported as EXPIRED."
    )

    def add_arguments(self, parser):
        parser.add_argument("credential", help="the credential JSON (a file or an http(s) URL)")
        parser.add_argument(
            "--issuer",
            help="the issuer to trust: its profile URL, or a local copy of the profile; default: this "
            "site's issuer or CERTIFICATE_TRUSTED_ISSUERS",
        )
        parser.add_argument(
            "--status",
            help="the status list credential (file or URL); default: the credential's, if under the issuer",
        )

    def handle(self, *args, credential, issuer=None, status=None, **options):
        try:
            self._verify(credential, issuer, status)
        except SourceRefused as error:
            raise CommandError(f"NOT VALID: {error}") from error
        except CredentialExpired as error:
            # Genuine and not revoked, but no longer valid: said apart from a forgery or a revocation.
            raise CommandError(f"EXPIRED: {error}") from error
        except CredentialInvalid as error:
            raise CommandError(f"NOT VALID: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                "VALID: the signature matches the issuer's key, it is not revoked and not expired."
            )
        )

    def _verify(self, credential: str, issuer: str | None, status: str | None) -> None:
        document = load_operator_json(credential)
        if issuer:  # the operator pins this issuer (a local profile is read only because they named it)
            profile = load_operator_json(issuer)
            pinned = [issuer] if is_http_url(issuer) else [profile.get("id")]
        else:
            pinned = trusted_issuers()
            named = document.get("issuer")
            named_id = named.get("id") if isinstance(named, dict) else named
            if named_id not in pinned:
                raise CredentialInvalid(
                    f"The credential names an issuer that is not trusted: {named_id!r}. "
                    f"Trusted: {', '.join(pinned)} (pass --issuer to trust another)."
                )
            profile = fetch_json(named_id)
        trusted = profile.get("id")
        if not isinstance(trusted, str) or trusted not in pinned:
            raise CredentialInvalid("The issuer profile is not the pinned issuer's.")
        self.stdout.write(f"Trusted issuer: {trusted}")
        verify_credential_proof(document, profile, trusted_issuers=[trusted])
        entry = document.get("credentialStatus")
        status_list = None
        if status:
            status_list = load_operator_json(status)
        elif isinstance(entry, dict):
            url = entry.get("statusListCredential")
            if not is_under_issuer(url, trusted):
                raise CredentialInvalid(
                    f"The status list {url!r} is not under the trusted issuer; it was not read."
                )
            status_list = fetch_json(url)
        verify_credential_status(document, profile, status_list)
        verify_credential_validity(document, now=timezone.now())
