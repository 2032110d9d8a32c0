"""The eddsa-jcs-2022 implementation reproduces the W3C test vectors exactly."""

import hashlib
import json
from pathlib import Path

import pytest

from certificates import credentials

# Copied from the W3C specification's repository (W3C Software and Document License).
VECTORS = Path(__file__).resolve().parent / "data/w3c-eddsa-jcs-2022"


def vector(name: str):
    text = (VECTORS / name).read_text()
    return json.loads(text) if name.endswith(".json") else text.strip()


@pytest.fixture
def key_pair():
    pair = vector("keyPair.json")
    return (
        credentials.private_key_from_multibase(pair["privateKeyMultibase"]),
        credentials.public_key_from_multibase(pair["publicKeyMultibase"]),
    )


def test_multikey_round_trips_the_w3c_key_pair(key_pair):
    private, public = key_pair
    pair = vector("keyPair.json")
    assert credentials.private_key_to_multibase(private) == pair["privateKeyMultibase"]
    assert credentials.public_key_to_multibase(public) == pair["publicKeyMultibase"]
    assert credentials.public_key_to_multibase(private.public_key()) == pair["publicKeyMultibase"]


def test_canonical_form_and_hashes_match_the_vectors():
    document = vector("unsigned.json")
    proof_config = vector("proofConfigJCS.json")
    assert credentials.canonical_json(document).decode() == vector("canonDocJCS.txt")
    assert credentials.canonical_json(proof_config).decode() == vector("proofCanonJCS.txt")
    assert hashlib.sha256(credentials.canonical_json(document)).hexdigest() == vector("docHashJCS.txt")
    assert hashlib.sha256(credentials.canonical_json(proof_config)).hexdigest() == vector("proofHashJCS.txt")
    assert credentials._hash_data(document, proof_config).hex() == vector("combinedHashJCS.txt")


def test_signing_the_w3c_example_gives_exactly_the_signed_vector(key_pair):
    private, _ = key_pair
    config = vector("proofConfigJCS.json")
    signed = credentials.sign(
        vector("unsigned.json"),
        private,
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    assert signed == vector("signedJCS.json")
    assert signed["proof"]["proofValue"] == vector("sigBTC58JCS.txt")
    assert credentials.base58btc_decode(signed["proof"]["proofValue"][1:]).hex() == vector("sigHexJCS.txt")


def test_the_signed_vector_verifies_and_any_change_breaks_it(key_pair):
    _, public = key_pair
    signed = vector("signedJCS.json")
    credentials.verify(signed, public)
    credentials.verify({**signed, "proof": [signed["proof"]]}, public)  # the Open Badges list form

    changed = json.loads(json.dumps(signed))
    changed["credentialSubject"]["alumniOf"] = "Another School"
    with pytest.raises(credentials.ProofError):
        credentials.verify(changed, public)

    tampered_proof = json.loads(json.dumps(signed))
    tampered_proof["proof"]["created"] = "2024-01-01T00:00:00Z"
    with pytest.raises(credentials.ProofError):
        credentials.verify(tampered_proof, public)


def test_a_proof_by_another_key_is_refused(key_pair):
    signed = vector("signedJCS.json")
    other = credentials.generate_private_key().public_key()
    with pytest.raises(credentials.ProofError):
        credentials.verify(signed, other)


def test_thai_text_signs_and_verifies():
    key = credentials.generate_private_key()
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "นางสาวกานติมน รักษาเกียรติ"}
    signed = credentials.sign(
        document,
        key,
        verification_method="https://x.example/issuer.json#key-1",
        created="2026-11-25T00:00:00Z",
    )
    credentials.verify(signed, key.public_key())


def test_status_list_bits_follow_the_specification_order():
    encoded = credentials.status_list_encode({0, 7, 9, 131_071})
    assert encoded.startswith("u")
    assert credentials.status_list_is_set(encoded, 0)
    assert credentials.status_list_is_set(encoded, 7)
    assert credentials.status_list_is_set(encoded, 9)
    assert credentials.status_list_is_set(encoded, 131_071)
    assert not credentials.status_list_is_set(encoded, 1)
    assert not credentials.status_list_is_set(encoded, 8)
    with pytest.raises(ValueError):
        credentials.status_list_is_set(encoded, 131_072)


# The W3C Bitstring Status List v1.0 example's encodedList: a 131,072-bit list with no bit set.
W3C_EXAMPLE_ENCODED_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def spec_decode(encoded: str) -> bytes:
    """The specification's expansion, written out here: drop the multibase 'u', base64url without
    padding, then GZIP."""
    import base64
    import gzip

    assert encoded.startswith("u")
    body = encoded[1:]
    assert "=" not in body
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def spec_encode(bitstring: bytes) -> str:
    import base64
    import gzip

    return "u" + base64.urlsafe_b64encode(gzip.compress(bitstring)).decode().rstrip("=")


def test_an_empty_list_is_the_w3c_examples_list_and_reads_as_such():
    assert spec_decode(W3C_EXAMPLE_ENCODED_LIST) == bytes(16384)
    assert spec_decode(credentials.status_list_encode(set())) == spec_decode(W3C_EXAMPLE_ENCODED_LIST)
    assert not any(
        credentials.status_list_is_set(W3C_EXAMPLE_ENCODED_LIST, index) for index in (0, 7, 131_071)
    )


# Bits 0, 7, 9 and 131,071 set. "Bit 0 is the left-most bit" of the first byte: index 0 is 0x80 and
# index 7 is 0x01 of byte 0, index 9 is 0x40 of byte 1, index 131,071 is 0x01 of the last byte.
EXPECTED_BITSTRING = bytes([0x81, 0x40]) + bytes(16381) + bytes([0x01])


def test_the_encoder_sets_the_bits_the_specification_orders():
    assert len(EXPECTED_BITSTRING) == 16384
    assert spec_decode(credentials.status_list_encode({0, 7, 9, 131_071})) == EXPECTED_BITSTRING


def test_the_decoder_reads_a_list_encoded_by_the_specification_not_by_us():
    encoded = spec_encode(EXPECTED_BITSTRING)
    assert [credentials.status_list_is_set(encoded, index) for index in (0, 7, 9, 131_071)] == [True] * 4
    assert [credentials.status_list_is_set(encoded, index) for index in (1, 6, 8, 10, 131_070)] == [False] * 5
