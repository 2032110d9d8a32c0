"""The site as production serves it, for the journey suite: gunicorn under `training.settings.production`
over HTTPS (a throwaway certificate), on a database of its own holding the seeded demo.

Nothing here shares state with pytest-django's test database: the demo is migrated and seeded in
subprocesses (development settings, since production refuses demo data), and the journeys see the
site only as a browser does. A worker (`manage.py worker`, as a deployment runs it) runs the tasks
and delivers the mail outbox into files that `ServedSite.mail_to()` waits for. On the scale-out
pass (DATABASE_URL set) the site gets its own PostgreSQL database and cache prefix, and keeps the
run's S3 bucket and Redis.
"""

from __future__ import annotations

import contextlib
import datetime
import email
import ipaddress
import json
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from loadtest.collected_static import collected_static

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
PYTHON = str(VENV / "bin/python")


# What a line of the server's or the worker's log says when something broke.
ERROR_SIGNS = ("Traceback", "Internal Server Error", "state=FAILED", " failed (")


@dataclass
class ServedSite:
    url: str
    folder: Path
    log: Path
    _shell: subprocess.Popen | None = field(default=None, repr=False)

    def mails(self) -> list[Message]:
        """Every message the site has sent so far, oldest first."""
        files = sorted((self.folder / "mail").glob("*.log"), key=lambda path: path.stat().st_mtime)
        messages = []
        for path in files:
            # The file backend writes each message followed by a line of dashes.
            for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk.lstrip()))
        return messages

    def mail_to(self, address: str, *, seconds: float = 60) -> Message:
        """The newest message to `address`, waiting for the worker to deliver it."""
        deadline = time.monotonic() + seconds
        while True:
            found = [mail for mail in self.mails() if address in mail["To"]]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                worker_log = self.folder / "worker.log"
                raise AssertionError(f"no mail to {address} after {seconds} s; see {worker_log}")
            time.sleep(0.3)

    def mail_body(self, message: Message) -> str:
        if message.is_multipart():
            part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")

    def data_values(self) -> list[str]:
        """Every text the site's database holds (tests/journeys/data_text.py)."""
        printed = self.shell(
            "import json\n"
            "from tests.journeys.data_text import data_values\n"
            "print(json.dumps(sorted(data_values()), ensure_ascii=False))"
        )
        return json.loads(printed)

    def shell(self, code: str) -> str:
        """What `code` prints, run against the site's database by a Django process of its own (as
        `manage.py shell -c` would, but started once: journeys poll with it): how a journey reads
        what the server holds, or changes content as a trainer elsewhere would."""
        if self._shell is None or self._shell.poll() is not None:
            database = json.loads((self.folder / "database.json").read_text())
            self._shell = subprocess.Popen(
                [PYTHON, "-m", "tests.journeys.shell"],
                cwd=ROOT,
                env={**os.environ, **database, "DJANGO_SETTINGS_MODULE": "training.settings.dev"},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        self._shell.stdin.write(json.dumps(code) + "\n")
        self._shell.stdin.flush()
        reply = json.loads(self._shell.stdout.readline() or '{"error": "the shell ended"}')
        if "error" in reply:
            raise AssertionError(f"the site's shell failed on:\n{code}\n{reply['error']}")
        return reply["printed"]

    def close(self) -> None:
        """End the shell's process, if one was started."""
        if self._shell is not None and self._shell.poll() is None:
            self._shell.stdin.close()
            self._shell.wait(timeout=30)
        self._shell = None

    def server_errors(self) -> list[str]:
        """Lines of the server's and the worker's logs that tell of an unhandled exception, a 5xx
        answer, or a task or mail that failed."""
        lines = []
        for log in (self.log, self.folder / "worker.log"):
            text = log.read_text(errors="replace") if log.exists() else ""
            lines += [line for line in text.splitlines() if any(sign in line for sign in ERROR_SIGNS)]
        return lines

    def answers(self) -> list[tuple[str, int]]:
        """(request line, status) of every request served so far, from the access log."""
        path = self.folder / "access.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return [
            (match.group(1), int(match.group(2))) for match in re.finditer(r'"([A-Z]+ [^"]*)" (\d{3}) ', text)
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def own_database(base_env: dict, folder: Path) -> dict:
    """Environment naming a database for the served site alone: a new PostgreSQL database on the
    scale-out pass, a SQLite file otherwise; a copy of the run's migrated template when the test
    session has one (tests/template_db.py), else empty (migrated by `served_site`)."""
    from tests import template_db

    url = base_env.get("DATABASE_URL")
    if not url:
        path = folder / "site.sqlite3"
        if template_db.location():
            template_db.copy_to(str(path))
        return {"SQLITE_PATH": str(path)}
    import psycopg

    name = f"journeys_{uuid.uuid4().hex[:10]}"
    server, _ = url.rsplit("/", 1)
    if template_db.location():
        template_db.copy_to(name)
    else:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    return {"DATABASE_URL": f"{server}/{name}"}


def own_database_env(env: dict) -> dict:
    return {key: env[key] for key in ("SQLITE_PATH", "DATABASE_URL") if key in env}


def drop_database(env: dict) -> None:
    url = env.get("DATABASE_URL")
    if not url:
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str, settings: str, log: Path) -> None:
    with log.open("a") as output:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": settings},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {log.read_text()[-3000:]}")


def wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2, context=context) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}: {log.read_text()[-3000:]}")


@contextlib.contextmanager
def served_site(folder: Path) -> Iterator[ServedSite]:
    """Migrate and seed a fresh database, then serve it over HTTPS under production settings."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mail").mkdir(exist_ok=True)
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key != "DJANGO_SETTINGS_MODULE"
    }
    env = {
        **base_env,
        **own_database(base_env, folder),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CERTIFICATE_SIGNING_KEY_FILE": str(folder / "signing.key"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": url,
        "MEDIA_ROOT": str(folder / "media"),
        "OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "OUTBOX_POLL_SECONDS": "0.5",
        "CACHE_KEY_PREFIX": f"journeys-{uuid.uuid4().hex[:8]}",
        "QUICK_EXIT_URL": url + "/healthz",
        "DEBUG": "false",
    }
    # Where its data is, for a test that reads it as it stands (ServedSite.data_values).
    (folder / "database.json").write_text(json.dumps(own_database_env(env)))
    log = folder / "gunicorn.log"
    setup_log = folder / "setup.log"
    log_file = log.open("ab")
    worker_log = (folder / "worker.log").open("ab")
    server = worker = served = None
    try:
        manage(env, "migrate", "--noinput", settings="training.settings.dev", log=setup_log)
        manage(env, "seed_demo", settings="training.settings.dev", log=setup_log)
        # Collected once for this source tree and shared with the other pass's site (read only).
        env["STATIC_ROOT"] = str(
            collected_static(env, python=PYTHON, settings="training.settings.production")
        )
        manage(
            env,
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            settings="training.settings.production",
            log=setup_log,
        )
        cert, key = throwaway_certificate(folder)
        server = subprocess.Popen(
            [
                str(VENV / "bin/gunicorn"),
                "training.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                # Threads, as docs/operations.md runs it: a browser's idle preconnected sockets
                # would otherwise hold a sync worker each, and Chromium gave up on resources
                # (ERR_TOO_MANY_RETRIES) when both were held. Production has a proxy in front that
                # holds those sockets; here the browser talks to gunicorn, and a thread that has
                # shaken hands on a socket the browser keeps for later waits on it. With 4 threads
                # a worker, a page's fonts and scripts once queued 35 s behind such sockets, so
                # there are plenty: a waiting thread costs no CPU.
                "--worker-class",
                "gthread",
                "--threads",
                "16",
                "--timeout",
                "60",
                "--certfile",
                str(cert),
                "--keyfile",
                str(key),
                "--access-logfile",
                str(folder / "access.log"),
                "--error-logfile",
                str(log),
            ],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "training.settings.production"},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = subprocess.Popen(
            [str(VENV / "bin/python"), "manage.py", "worker", "--interval", "0.5"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "training.settings.production"},
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_up(server, url, log)
        (folder / "url").write_text(url)
        served = ServedSite(url=url, folder=folder, log=log)
        yield served
    finally:
        if served is not None:
            served.close()
        for process in (server, worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
        log_file.close()
        worker_log.close()
        drop_database(env)


if __name__ == "__main__":
    # Serve until interrupted; then JOURNEYS_SERVED=FOLDER pytest tests/journeys reuses the site.
    import sys

    def stop(_signum, _frame):
        raise SystemExit(0)

    # SIGTERM (as `kill` sends) leaves through the `finally` of served_site, as Ctrl-C does, so the
    # site's gunicorn and worker (in sessions of their own) are stopped too, not left running.
    signal.signal(signal.SIGTERM, stop)
    with served_site(Path(sys.argv[1]).resolve()) as served:
        print(f"Serving {served.url}; JOURNEYS_SERVED={served.folder}", flush=True)
        signal.pause()
