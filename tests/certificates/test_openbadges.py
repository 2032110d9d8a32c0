"""Credentials and the issuer profile validate against 1EdTech's Open Badges 3.0 JSON Schemas."""

import dataclasses
import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from certificates import credentials, openbadges

SCHEMAS = Path(__file__).resolve().parent / "data/ob3-schema"
ISSUER = openbadges.IssuerInfo(
    profile_url="https://training.example.org/certificates/issuer.json",
    site_url="https://training.example.org",
    name_th="กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
    name_en="Ministry of Social Development and Human Security",
)
FACTS = openbadges.CompletionFacts(
    credential_url="https://training.example.org/verify/ABCD.json",
    verify_url="https://training.example.org/verify/ABCD/",
    achievement_url="https://training.example.org/courses/orientation/",
    course_title_th="หลักสูตรปฐมนิเทศ",
    course_title_en="Orientation",
    course_summary="บทบาทและจริยธรรมของอาสาสมัคร",
    recipient_email="Somchai@Example.org",
    recipient_salt="f0e1d2c3",
    issued_at=datetime.datetime(2026, 11, 25, 3, 4, 5, 678, tzinfo=datetime.UTC),
    status_list_url="https://training.example.org/certificates/status/revocation.json",
    status_index=42,
)


def validator(name: str) -> Draft201909Validator:
    return Draft201909Validator(json.loads((SCHEMAS / name).read_text()))


def signed_credential():
    key = credentials.generate_private_key()
    document = openbadges.completion_credential(ISSUER, FACTS)
    signed = credentials.sign(
        document, key, verification_method=f"{ISSUER.profile_url}#key-1", created="2026-11-25T03:04:05Z"
    )
    signed["proof"] = [signed["proof"]]
    return signed, key


def test_the_signed_credential_validates_against_the_achievement_credential_schema():
    signed, key = signed_credential()
    errors = sorted(validator("achievementcredential.json").iter_errors(signed), key=str)
    assert errors == []
    credentials.verify(signed, key.public_key())


def test_the_recipient_is_a_salted_hash_not_the_email():
    text = json.dumps(openbadges.completion_credential(ISSUER, FACTS))
    assert "somchai" not in text.lower()
    identifier = openbadges.completion_credential(ISSUER, FACTS)["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == openbadges.identity_hash("somchai@example.org", "f0e1d2c3")
    assert identifier["identityHash"].startswith("sha256$")


def test_the_issuer_profile_validates_and_lists_every_key():
    old = credentials.generate_private_key().public_key()
    new = credentials.generate_private_key().public_key()
    profile = openbadges.issuer_profile(
        ISSUER,
        [
            ("key-1", credentials.public_key_to_multibase(old)),
            ("key-2", credentials.public_key_to_multibase(new)),
        ],
    )
    assert sorted(validator("profile.json").iter_errors(profile), key=str) == []
    assert [m["id"] for m in profile["verificationMethod"]] == [
        f"{ISSUER.profile_url}#key-1",
        f"{ISSUER.profile_url}#key-2",
    ]
    assert all(m["type"] == "Multikey" for m in profile["verificationMethod"])


def test_the_credential_points_at_its_status_list_entry():
    status = openbadges.completion_credential(ISSUER, FACTS)["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListIndex"] == "42"
    assert status["statusListCredential"] == FACTS.status_list_url


def test_a_credential_with_valid_until_validates_and_carries_it_in_utc():
    """VC Data Model 2.0 `validUntil` (Open Badges 3.0 allows it): the end of the validity period."""
    bangkok = datetime.timezone(datetime.timedelta(hours=7))
    last_second = datetime.datetime(2028, 11, 25, 23, 59, 59, tzinfo=bangkok)
    facts = dataclasses.replace(FACTS, valid_until=last_second)
    key = credentials.generate_private_key()
    signed = credentials.sign(
        openbadges.completion_credential(ISSUER, facts),
        key,
        verification_method=f"{ISSUER.profile_url}#key-1",
        created="2026-11-25T03:04:05Z",
    )
    signed["proof"] = [signed["proof"]]
    assert signed["validUntil"] == "2028-11-25T16:59:59Z"
    assert sorted(validator("achievementcredential.json").iter_errors(signed), key=str) == []
    credentials.verify(signed, key.public_key())
    assert "validUntil" not in openbadges.completion_credential(ISSUER, FACTS)


def utc(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def test_the_validity_period_is_checked_against_the_clock():
    document = {"validFrom": "2026-11-25T03:04:05Z", "validUntil": "2028-11-25T16:59:59Z"}
    openbadges.verify_credential_validity(document, now=utc(2027, 1, 1))
    with pytest.raises(openbadges.CredentialExpired) as expired:
        openbadges.verify_credential_validity(document, now=utc(2028, 11, 25, 17))
    assert expired.value.valid_until == utc(2028, 11, 25, 16, 59, 59)
    with pytest.raises(openbadges.CredentialInvalid, match="not valid before"):
        openbadges.verify_credential_validity(document, now=utc(2026, 1, 1))
    with pytest.raises(openbadges.CredentialInvalid, match="cannot be read"):
        openbadges.verify_credential_validity({"validUntil": "soon"})
