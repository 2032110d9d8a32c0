"""Open Badges 3.0 documents: the issuer profile and a course-completion OpenBadgeCredential.

Shapes follow 1EdTech's Open Badges 3.0 (W3C Verifiable Credentials Data Model 2.0). The recipient
is identified by a salted SHA-256 of their email (`identityHash`), never the email itself.
"""

import datetime
import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from certificates import credentials

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def identity_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def iso_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class IssuerInfo:
    profile_url: str  # <SITE_URL>/certificates/issuer.json
    site_url: str
    name_th: str
    name_en: str
    email: str = ""


def issuer_profile(issuer: IssuerInfo, public_keys: list[tuple[str, str]]) -> dict:
    """The issuer's Profile with every key it has signed with, as Multikey verification methods.

    ``public_keys`` lists (key id such as "key-1", publicKeyMultibase), old keys included.
    """
    methods = [
        {
            "id": f"{issuer.profile_url}#{key_id}",
            "type": "Multikey",
            "controller": issuer.profile_url,
            "publicKeyMultibase": multibase,
        }
        for key_id, multibase in public_keys
    ]
    profile = {
        "@context": [VC_CONTEXT, OB_CONTEXT, MULTIKEY_CONTEXT],
        "id": issuer.profile_url,
        "type": ["Profile"],
        "name": issuer.name_en,
        "description": issuer.name_th,
        "url": issuer.site_url,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
    if issuer.email:
        profile["email"] = issuer.email
    return profile


@dataclass(frozen=True)
class CompletionFacts:
    credential_url: str  # <SITE_URL>/verify/<token>.json
    verify_url: str  # <SITE_URL>/verify/<token>/
    achievement_url: str  # the course's stable URL
    course_title_th: str
    course_title_en: str
    course_summary: str
    recipient_email: str
    recipient_salt: str
    issued_at: datetime.datetime
    status_list_url: str
    status_index: int
    valid_until: datetime.datetime | None = None  # the end of a course's validity period, if it has one


def completion_credential(issuer: IssuerInfo, facts: CompletionFacts) -> dict:
    """An unsigned OpenBadgeCredential for one course completion; with `validUntil` (VC Data Model
    2.0, section 4.9) when the course's certificates expire."""
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": facts.course_title_en or facts.course_title_th,
        "issuer": {
            "id": issuer.profile_url,
            "type": ["Profile"],
            "name": issuer.name_en,
            "url": issuer.site_url,
        },
        "validFrom": iso_utc(facts.issued_at),
        "awardedDate": iso_utc(facts.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(facts.recipient_email, facts.recipient_salt),
                    "salt": facts.recipient_salt,
                }
            ],
            "achievement": {
                "id": facts.achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.course_title_th,
                "description": facts.course_summary or facts.course_title_th,
                "criteria": {
                    "narrative": "Completed every required lesson and passed every quiz of the course "
                    "on the overseas volunteer training platform.",
                },
                "inLanguage": "th",
            },
        },
        "evidence": [{"id": facts.verify_url, "type": ["Evidence"], "name": "Public verification page"}],
        "credentialStatus": {
            "id": f"{facts.status_list_url}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": facts.status_list_url,
        },
    }
    if facts.valid_until is not None:
        document["validUntil"] = iso_utc(facts.valid_until)
    return document


def status_list_credential(
    issuer: IssuerInfo, *, url: str, encoded_list: str, valid_from: datetime.datetime
) -> dict:
    """An unsigned BitstringStatusListCredential whose set bits mark revoked credentials."""
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.profile_url,
        "validFrom": iso_utc(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


class CredentialInvalid(ValueError):
    """The credential does not verify; the message says why, for a person to read."""


class CredentialExpired(CredentialInvalid):
    """The credential is genuine and not revoked, but its validity period (`validUntil`) is over."""

    def __init__(self, message: str, *, valid_until: datetime.datetime):
        super().__init__(message)
        self.valid_until = valid_until


def _parse_moment(value) -> datetime.datetime:
    if not isinstance(value, str):
        raise ValueError("not a string")
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


def verify_credential_validity(credential: dict, *, now: datetime.datetime | None = None) -> None:
    """The credential's validity period holds `now`: not before `validFrom`, not after `validUntil`.

    Call it after the proof: only then are the dates the issuer's. Raises CredentialExpired once
    `validUntil` has passed, CredentialInvalid for a credential not yet valid or unreadable dates.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        valid_from = _parse_moment(credential["validFrom"]) if "validFrom" in credential else None
        valid_until = _parse_moment(credential["validUntil"]) if "validUntil" in credential else None
    except ValueError as error:
        raise CredentialInvalid("The credential's validity dates cannot be read.") from error
    if valid_from is not None and now < valid_from:
        raise CredentialInvalid(f"The credential is not valid before {iso_utc(valid_from)}.")
    if valid_until is not None and now > valid_until:
        raise CredentialExpired(
            f"The credential expired on {iso_utc(valid_until)}; it is genuine and was not revoked, "
            "but its validity period is over.",
            valid_until=valid_until,
        )


def verification_method_key(profile: dict, method_id: str):
    """The public key the issuer profile publishes under ``method_id`` (current or retired)."""
    methods = profile.get("verificationMethod", [])
    for method in methods if isinstance(methods, list) else []:
        if isinstance(method, dict) and method.get("id") == method_id and method.get("type") == "Multikey":
            try:
                return credentials.public_key_from_multibase(method.get("publicKeyMultibase", ""))
            except (TypeError, ValueError) as error:
                raise CredentialInvalid(f"The issuer's key {method_id} cannot be read.") from error
    raise CredentialInvalid(f"The issuer does not publish the key {method_id}.")


def verify_credential(
    credential: dict,
    profile: dict,
    status_list: dict | None,
    *,
    trusted_issuers: Collection[str],
    now: datetime.datetime | None = None,
) -> None:
    """Check a credential with nothing but the issuer profile and the status list credential.

    Raises CredentialInvalid naming the first problem: an issuer that is not trusted, wrong issuer,
    unknown key, broken proof, a status list that is not the issuer's or does not verify, or a
    revoked credential; then CredentialExpired for one whose validity period is over (a revoked
    credential reads as revoked, whether it expired or not). ``trusted_issuers`` are the issuer
    profile URLs the verifier pinned.
    """
    verify_credential_proof(credential, profile, trusted_issuers=trusted_issuers)
    verify_credential_status(credential, profile, status_list)
    verify_credential_validity(credential, now=now)


def verify_credential_proof(credential: dict, profile: dict, *, trusted_issuers: Collection[str]) -> None:
    """The issuer is pinned, the profile is that issuer's, and the proof is by one of its keys."""
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or issuer_id not in trusted_issuers:
        raise CredentialInvalid(f"The credential names an issuer that is not trusted: {issuer_id!r}.")
    if issuer_id != profile.get("id"):
        raise CredentialInvalid("The credential was not issued by this issuer profile.")
    try:
        proof = credentials.single_proof(credential)
        method = proof.get("verificationMethod", "")
        if not isinstance(method, str) or not method.startswith(f"{issuer_id}#"):
            raise CredentialInvalid("The proof's key does not belong to the issuer.")
        credentials.verify(credential, verification_method_key(profile, method))
    except credentials.ProofError as error:
        raise CredentialInvalid(str(error)) from error


def verify_credential_status(credential: dict, profile: dict, status_list: dict | None) -> None:
    """The status list is the issuer's, verifies, and does not mark the credential revoked."""
    status = credential.get("credentialStatus")
    if status is None:
        return
    if not isinstance(status, dict):
        raise CredentialInvalid("The credential's status entry cannot be read.")
    if status_list is None:
        raise CredentialInvalid("The credential has a status entry, but no status list was given.")
    if status_list.get("id") != status.get("statusListCredential"):
        raise CredentialInvalid("The status list is not the one the credential names.")
    if status_list.get("issuer") != profile.get("id"):
        raise CredentialInvalid("The status list was not issued by the credential's issuer.")
    try:
        list_proof = credentials.single_proof(status_list)
        method = list_proof.get("verificationMethod", "")
        if not isinstance(method, str) or not method.startswith(f"{profile.get('id')}#"):
            raise CredentialInvalid("The status list's key does not belong to the issuer.")
        credentials.verify(status_list, verification_method_key(profile, method))
    except credentials.ProofError as error:
        raise CredentialInvalid(f"The status list does not verify: {error}") from error
    subject = status_list.get("credentialSubject")
    encoded = subject.get("encodedList", "") if isinstance(subject, dict) else ""
    try:
        revoked = credentials.status_list_is_set(encoded, int(status["statusListIndex"]))
    except (KeyError, TypeError, ValueError) as error:
        raise CredentialInvalid("The credential's status entry cannot be read.") from error
    if revoked:
        raise CredentialInvalid("The credential has been revoked by its issuer.")
