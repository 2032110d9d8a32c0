"""`certificate_verify` checks a credential with only the issuer profile and the status list."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from certificates import credentials, openbadges
from tests.certificates.test_openbadges import FACTS, ISSUER

NOW = datetime.datetime(2026, 11, 25, tzinfo=datetime.UTC)


def issue(key, key_id="key-1", revoked=frozenset()):
    method = f"{ISSUER.profile_url}#{key_id}"
    credential = credentials.sign(
        openbadges.completion_credential(ISSUER, FACTS),
        key,
        verification_method=method,
        created="2026-11-25T00:00:00Z",
    )
    credential["proof"] = [credential["proof"]]
    status = credentials.sign(
        openbadges.status_list_credential(
            ISSUER,
            url=FACTS.status_list_url,
            encoded_list=credentials.status_list_encode(set(revoked)),
            valid_from=NOW,
        ),
        key,
        verification_method=method,
        created="2026-11-25T00:00:00Z",
    )
    return credential, status


def profile_for(*pairs):
    return openbadges.issuer_profile(
        ISSUER, [(key_id, credentials.public_key_to_multibase(key.public_key())) for key_id, key in pairs]
    )


@pytest.fixture
def files(tmp_path):
    def write(**documents):
        paths = {}
        for name, document in documents.items():
            paths[name] = tmp_path / f"{name}.json"
            paths[name].write_text(json.dumps(document, ensure_ascii=False))
        return paths

    return write


def run(paths, capsys):
    call_command(
        "certificate_verify",
        str(paths["credential"]),
        issuer=str(paths["issuer"]),
        status=str(paths["status"]),
    )
    return capsys.readouterr().out


def test_a_valid_credential_verifies(files, capsys):
    key = credentials.generate_private_key()
    credential, status = issue(key)
    paths = files(credential=credential, issuer=profile_for(("key-1", key)), status=status)
    assert "VALID" in run(paths, capsys)


def test_a_changed_credential_is_refused_with_the_reason(files, capsys):
    key = credentials.generate_private_key()
    credential, status = issue(key)
    credential["credentialSubject"]["achievement"]["name"] = "หลักสูตรอื่น"
    paths = files(credential=credential, issuer=profile_for(("key-1", key)), status=status)
    with pytest.raises(CommandError, match="signature does not match"):
        run(paths, capsys)


def test_a_revoked_credential_is_refused(files, capsys):
    key = credentials.generate_private_key()
    credential, status = issue(key, revoked={FACTS.status_index})
    paths = files(credential=credential, issuer=profile_for(("key-1", key)), status=status)
    with pytest.raises(CommandError, match="revoked"):
        run(paths, capsys)


def test_a_credential_signed_with_a_rotated_out_key_still_verifies(files, capsys):
    old, new = credentials.generate_private_key(), credentials.generate_private_key()
    credential, _ = issue(old, "key-1")
    _, status = issue(new, "key-2")  # today's status list is signed with the new key
    paths = files(credential=credential, issuer=profile_for(("key-1", old), ("key-2", new)), status=status)
    assert "VALID" in run(paths, capsys)


def test_a_key_the_issuer_does_not_publish_is_refused(files, capsys):
    key, stranger = credentials.generate_private_key(), credentials.generate_private_key()
    credential, status = issue(stranger)
    paths = files(credential=credential, issuer=profile_for(("key-2", key)), status=status)
    with pytest.raises(CommandError, match="does not publish the key"):
        run(paths, capsys)


def test_a_forged_status_list_is_refused(files, capsys):
    key, forger = credentials.generate_private_key(), credentials.generate_private_key()
    credential, _ = issue(key)
    _, forged_status = issue(forger)
    paths = files(credential=credential, issuer=profile_for(("key-1", key)), status=forged_status)
    with pytest.raises(CommandError, match="status list does not verify"):
        run(paths, capsys)


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("certificate_verify", str(tmp_path / "broken.json"))
