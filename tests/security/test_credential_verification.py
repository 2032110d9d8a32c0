"""Attacks on `manage.py certificate_verify`: a forged issuer, local paths and endless documents.

The credential is untrusted input. Its issuer must be the pinned one (this site's by default), and
nothing it names is read unless it is an http(s) URL under that issuer, within a size cap.
"""

import builtins
import contextlib
import dataclasses
import http.server
import json
import pathlib
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates import credentials, openbadges
from tests.certificates.test_openbadges import FACTS, ISSUER

CREATED = "2026-11-25T00:00:00Z"


class Server:
    """A loopback web server answering from a table of paths; it records what was asked and sent."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        self.bytes_sent = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                server.requests.append(self.path)
                answer = server.routes.get(self.path)
                if answer is None:
                    self.send_error(404)
                    return
                if callable(answer):
                    answer(self)
                    return
                body = answer.encode() if isinstance(answer, str) else answer
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                """Quiet: the test reads `requests`, not the server's log."""

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server():
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def issuer_at(profile_url: str) -> openbadges.IssuerInfo:
    return dataclasses.replace(ISSUER, profile_url=profile_url, site_url=profile_url.rsplit("/", 2)[0])


def signed(document: dict, key, issuer: openbadges.IssuerInfo) -> dict:
    result = credentials.sign(
        document, key, verification_method=f"{issuer.profile_url}#key-1", created=CREATED
    )
    result["proof"] = [result["proof"]]
    return result


def documents(key, issuer: openbadges.IssuerInfo, status_list_url: str):
    """A credential, its issuer's profile and its status list, all signed by ``key``."""
    facts = dataclasses.replace(FACTS, status_list_url=status_list_url)
    credential = signed(openbadges.completion_credential(issuer, facts), key, issuer)
    status_list = signed(
        openbadges.status_list_credential(
            issuer, url=status_list_url, encoded_list=credentials.status_list_encode(set()),
            valid_from=FACTS.issued_at,
        ),
        key,
        issuer,
    )  # fmt: skip
    profile = openbadges.issuer_profile(
        issuer, [("key-1", credentials.public_key_to_multibase(key.public_key()))]
    )
    return credential, profile, status_list


def dump(path: pathlib.Path, document: dict) -> str:
    path.write_text(json.dumps(document, ensure_ascii=False))
    return str(path)


def verify(*args, **options) -> str:
    out = StringIO()
    call_command("certificate_verify", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def site_issuer(settings, server):
    """This site's issuer, served by the loopback server: the issuer trusted by default."""
    settings.SITE_URL = server.base
    settings.CERTIFICATE_TRUSTED_ISSUERS = []
    return issuer_at(server.url("/certificates/issuer.json"))


def test_a_genuine_credential_verifies_against_the_site_issuer_and_names_it(server, site_issuer, tmp_path):
    key = credentials.generate_private_key()
    status_url = server.url("/certificates/status/revocation.json")
    credential, profile, status_list = documents(key, site_issuer, status_url)
    server.routes = {
        "/certificates/issuer.json": json.dumps(profile),
        "/certificates/status/revocation.json": json.dumps(status_list),
    }
    out = verify(dump(tmp_path / "credential.json", credential))
    assert "VALID" in out and f"Trusted issuer: {site_issuer.profile_url}" in out


def test_a_credential_signed_by_an_attacker_with_their_own_issuer_profile_is_not_valid(
    server, settings, tmp_path
):
    settings.CERTIFICATE_TRUSTED_ISSUERS = []  # this site's issuer (SITE_URL) only
    attacker = issuer_at(server.url("/evil/issuer.json"))
    credential, profile, status_list = documents(
        credentials.generate_private_key(), attacker, server.url("/evil/status.json")
    )
    server.routes = {"/evil/issuer.json": json.dumps(profile), "/evil/status.json": json.dumps(status_list)}
    with pytest.raises(CommandError, match=r"NOT VALID: .*not trusted"):
        verify(dump(tmp_path / "credential.json", credential))
    assert server.requests == []  # nothing the forged credential names was even fetched


def test_an_issuer_named_as_a_local_file_is_not_trusted_or_read(settings, tmp_path, monkeypatch):
    settings.CERTIFICATE_TRUSTED_ISSUERS = []
    profile_path = tmp_path / "evil-issuer.json"
    attacker = issuer_at(str(profile_path))
    key = credentials.generate_private_key()
    credential, profile, status_list = documents(key, attacker, str(tmp_path / "evil-status.json"))
    dump(profile_path, profile)
    dump(tmp_path / "evil-status.json", status_list)
    credential_file = dump(tmp_path / "credential.json", credential)
    opened = watch_opens(monkeypatch, {str(profile_path), str(tmp_path / "evil-status.json")})
    with pytest.raises(CommandError, match="NOT VALID"):
        verify(credential_file)
    assert opened == []


def test_an_explicit_issuer_pins_it_and_an_attackers_credential_still_fails(server, tmp_path):
    pinned = issuer_at(server.url("/certificates/issuer.json"))
    key = credentials.generate_private_key()
    _credential, profile, _status = documents(key, pinned, server.url("/certificates/status/revocation.json"))
    server.routes = {"/certificates/issuer.json": json.dumps(profile)}
    attacker = issuer_at(server.url("/evil/issuer.json"))
    forged, _profile, _status = documents(
        credentials.generate_private_key(), attacker, server.url("/evil/status.json")
    )
    with pytest.raises(CommandError, match="NOT VALID"):
        verify(dump(tmp_path / "forged.json", forged), issuer=pinned.profile_url)
    assert "/evil/issuer.json" not in server.requests and "/evil/status.json" not in server.requests


class ReadAttempted(Exception):
    """The verifier tried to read a file the credential named."""


def watch_opens(monkeypatch, forbidden: set[str]) -> list[str]:
    """Record (and stop) any attempt to open one of ``forbidden`` paths."""
    opened: list[str] = []
    real_open, real_path_open = builtins.open, pathlib.Path.open

    def guarded_open(file, *args, **kwargs):
        if str(file) in forbidden:
            opened.append(str(file))
            raise ReadAttempted(str(file))
        return real_open(file, *args, **kwargs)

    def guarded_path_open(self, *args, **kwargs):
        if str(self) in forbidden:
            opened.append(str(self))
            raise ReadAttempted(str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(pathlib.Path, "open", guarded_path_open)
    return opened


@pytest.mark.parametrize("target", ["/dev/zero", "local-status.json", "file:///dev/zero"])
def test_a_status_list_named_as_a_local_path_is_refused_without_reading_it(tmp_path, monkeypatch, target):
    """The credential is genuinely signed by the pinned issuer; only its status entry points home."""
    issuer = issuer_at("https://training.example.org/certificates/issuer.json")
    if target == "local-status.json":
        target = str(tmp_path / target)
    key = credentials.generate_private_key()
    credential, profile, status_list = documents(key, issuer, target)
    if not target.startswith(("/dev", "file:")):
        dump(pathlib.Path(target), status_list)
    issuer_file = dump(tmp_path / "issuer.json", profile)
    credential_file = dump(tmp_path / "credential.json", credential)
    opened = watch_opens(monkeypatch, {target, target.removeprefix("file://")})
    with pytest.raises(CommandError, match=r"NOT VALID: .*not under the trusted issuer"):
        verify(credential_file, issuer=issuer_file)
    assert opened == []


def test_a_status_list_on_another_host_is_not_fetched(server, tmp_path):
    issuer = issuer_at("https://training.example.org/certificates/issuer.json")
    credential, profile, _status_list = documents(
        credentials.generate_private_key(), issuer, server.url("/certificates/status/revocation.json")
    )
    with pytest.raises(CommandError, match="not under the trusted issuer"):
        verify(dump(tmp_path / "credential.json", credential), issuer=dump(tmp_path / "issuer.json", profile))
    assert server.requests == []


HUGE_BYTES = 48 * 1024 * 1024


def endless_whitespace(handler):
    """A status list that never seems to end: spaces (valid JSON padding), no Content-Length."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    chunk = b" " * 65536
    sent = 0
    with contextlib.suppress(OSError):  # the verifier hangs up once it has read its cap
        while sent < HUGE_BYTES:
            handler.wfile.write(chunk)
            sent += len(chunk)
            handler.server.owner.bytes_sent = sent
        handler.wfile.write(b'{"id": "x"}')


def test_a_huge_status_list_response_is_capped(server, tmp_path):
    server.httpd.owner = server
    issuer = issuer_at(server.url("/certificates/issuer.json"))
    status_url = server.url("/certificates/status/revocation.json")
    credential, profile, _status = documents(credentials.generate_private_key(), issuer, status_url)
    server.routes = {
        "/certificates/issuer.json": json.dumps(profile),
        "/certificates/status/revocation.json": endless_whitespace,
    }
    with pytest.raises(CommandError, match="larger than"):
        verify(dump(tmp_path / "credential.json", credential), issuer=issuer.profile_url)
    assert "/certificates/status/revocation.json" in server.requests
    assert server.bytes_sent < HUGE_BYTES  # the verifier hung up long before the end


def test_a_declared_huge_response_is_refused_before_reading(server, tmp_path):
    def declared_huge(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(HUGE_BYTES))
        handler.end_headers()
        handler.wfile.write(b" " * 1024)

    server.routes = {"/certificates/issuer.json": declared_huge}
    credential, _profile, _status = documents(
        credentials.generate_private_key(),
        issuer_at(server.url("/certificates/issuer.json")),
        server.url("/certificates/status/revocation.json"),
    )
    with pytest.raises(CommandError, match="larger than"):
        verify(dump(tmp_path / "credential.json", credential), issuer=server.url("/certificates/issuer.json"))


def test_a_redirect_away_from_the_issuer_is_not_followed(server, tmp_path):
    issuer = issuer_at(server.url("/certificates/issuer.json"))
    status_url = server.url("/certificates/status/revocation.json")
    credential, profile, status_list = documents(credentials.generate_private_key(), issuer, status_url)

    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", server.url("/elsewhere/status.json"))
        handler.end_headers()

    server.routes = {
        "/certificates/issuer.json": json.dumps(profile),
        "/certificates/status/revocation.json": redirect,
        "/elsewhere/status.json": json.dumps(status_list),
    }
    with pytest.raises(CommandError, match="NOT VALID: Cannot read"):
        verify(dump(tmp_path / "credential.json", credential), issuer=issuer.profile_url)
    assert "/elsewhere/status.json" not in server.requests


def test_a_gzip_bomb_in_the_status_list_is_refused():
    import base64
    import gzip

    bomb = gzip.compress(b"\0" * (credentials.STATUS_LIST_MAX_BYTES + 1), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    with pytest.raises(ValueError, match="longer than"):
        credentials.status_list_is_set(encoded, 0)


@pytest.mark.parametrize(
    "status_entry",
    [["not", "an", "object"], {"statusListCredential": 42}, {"statusListCredential": None}],
)
def test_a_malformed_status_entry_signed_by_the_issuer_is_not_valid_never_a_traceback(tmp_path, status_entry):
    issuer = issuer_at("https://training.example.org/certificates/issuer.json")
    key = credentials.generate_private_key()
    _credential, profile, _status = documents(key, issuer, "https://training.example.org/certificates/s.json")
    document = openbadges.completion_credential(issuer, FACTS)
    document["credentialStatus"] = status_entry
    with pytest.raises(CommandError, match="NOT VALID"):
        verify(
            dump(tmp_path / "credential.json", signed(document, key, issuer)),
            issuer=dump(tmp_path / "issuer.json", profile),
        )
