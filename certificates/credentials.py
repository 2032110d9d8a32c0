"""Data Integrity proofs of cryptosuite ``eddsa-jcs-2022`` and W3C Bitstring Status Lists.

A certificate's signed credential must verify offline, with nothing but the issuer's public keys,
so this module implements the W3C "Data Integrity EdDSA Cryptosuites v1.0" JCS suite exactly:
RFC 8785 canonical JSON, SHA-256 of the proof configuration and of the document, and an Ed25519
signature over the two hashes, encoded as multibase base58btc. Pure functions, no Django.
"""

import base64
import copy
import gzip
import hashlib
import zlib
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

CRYPTOSUITE = "eddsa-jcs-2022"
ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub
ED25519_PRIV_PREFIX = b"\x80\x26"  # multicodec ed25519-priv
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
STATUS_LIST_MIN_BITS = 131_072  # 16 KiB, the specification's minimum for herd privacy
STATUS_LIST_MAX_BYTES = 16 * 1024 * 1024  # 134 million entries; a longer list is refused unread


class ProofError(ValueError):
    """A credential's proof does not verify; the message says why."""


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError("Not a base58btc string.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_zeros + body


def multibase_decode(value: str) -> bytes:
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase values ('z' prefix) are supported.")
    return base58btc_decode(value[1:])


def public_key_to_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58btc_encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    data = multibase_decode(value)
    if not data.startswith(ED25519_PUB_PREFIX) or len(data) != 34:
        raise ValueError("Not an Ed25519 public key in Multikey form.")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def private_key_to_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return "z" + base58btc_encode(ED25519_PRIV_PREFIX + raw)


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    data = multibase_decode(value)
    if not data.startswith(ED25519_PRIV_PREFIX) or len(data) != 34:
        raise ValueError("Not an Ed25519 private key in Multikey form.")
    return Ed25519PrivateKey.from_private_bytes(data[2:])


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JSON Canonicalization Scheme) bytes of a JSON value."""
    return rfc8785.dumps(value)


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def sign(document: dict, private_key: Ed25519PrivateKey, *, verification_method: str, created: str) -> dict:
    """Return a copy of ``document`` with one ``DataIntegrityProof`` (eddsa-jcs-2022) in ``proof``.

    The proof configuration carries the document's ``@context``, as the specification requires.
    Ed25519 is deterministic, so the same inputs always give the same proof.
    """
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_config: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        proof_config["@context"] = copy.deepcopy(unsecured["@context"])
    signature = private_key.sign(_hash_data(unsecured, proof_config))
    proof = {**proof_config, "proofValue": "z" + base58btc_encode(signature)}
    return {**copy.deepcopy(unsecured), "proof": proof}


def single_proof(secured: dict) -> dict:
    proof = secured.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofError("The credential must carry exactly one proof.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The credential has no proof.")
    return proof


def verify(secured: dict, public_key: Ed25519PublicKey) -> None:
    """Raise ``ProofError`` unless ``secured`` carries a valid eddsa-jcs-2022 proof by ``public_key``.

    ``proof`` may be an object or a one-element list (as Open Badges 3.0 credentials carry it).
    """
    proof = single_proof(secured)
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("The proof is not a DataIntegrityProof of cryptosuite eddsa-jcs-2022.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("The proof's purpose is not assertionMethod.")
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise ProofError("The proof value is missing or not base58btc.")
    unsecured = {key: value for key, value in secured.items() if key != "proof"}
    proof_config = {key: value for key, value in proof.items() if key != "proofValue"}
    if "@context" in proof_config:
        document_context = unsecured.get("@context")
        contexts = document_context if isinstance(document_context, list) else [document_context]
        proof_contexts = proof_config["@context"]
        proof_contexts = proof_contexts if isinstance(proof_contexts, list) else [proof_contexts]
        if contexts[: len(proof_contexts)] != proof_contexts:
            raise ProofError("The proof's @context does not match the credential's.")
    try:
        signature = base58btc_decode(proof_value[1:])
        public_key.verify(signature, _hash_data(unsecured, proof_config))
    except (InvalidSignature, ValueError) as error:
        raise ProofError(
            "The signature does not match the credential: it was changed or signed by another key."
        ) from error


def status_list_capacity(count: int) -> int:
    """How many slots the revocation list offers for ``count`` certificates: the specification's
    minimum (131,072), doubled while fewer than half would stay free, so a new index is drawn from
    a large set of free slots and the list's length says little about the number issued."""
    bits = STATUS_LIST_MIN_BITS
    while bits < 2 * (count + 1):
        bits *= 2
    return bits


def status_list_encode(revoked_indexes: set[int], size: int = STATUS_LIST_MIN_BITS) -> str:
    """The ``encodedList`` of a Bitstring Status List: GZIP, then multibase base64url, no padding.

    Bit 0 is the most significant bit of the first byte, as the specification defines.
    """
    bits = bytearray(max(size, STATUS_LIST_MIN_BITS) // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def _gunzip_capped(data: bytes) -> bytes:
    """GZIP-decompressed ``data``, refused once it grows past STATUS_LIST_MAX_BYTES (a GZIP bomb)."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        bits = decompressor.decompress(data, STATUS_LIST_MAX_BYTES)
    except zlib.error as error:
        raise ValueError("The status list is not GZIP data.") from error
    if decompressor.unconsumed_tail:
        raise ValueError("The status list is longer than any list this verifier reads.")
    return bits


def status_list_is_set(encoded_list: str, index: int) -> bool:
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise ValueError("The status list is not multibase base64url.")
    body = encoded_list[1:]
    bits = _gunzip_capped(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if index < 0 or index // 8 >= len(bits):
        raise ValueError("The status list index is out of range.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
