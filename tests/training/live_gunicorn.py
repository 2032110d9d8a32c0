"""gunicorn serving the test database for the scale-out load and fault tests (training.settings.bench,
2 workers, plain HTTP on loopback), and one-service stops and starts through scripts/services.sh."""

import contextlib
import os
import subprocess
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from certificates.keys import current_issuer_key
from loadtest.server import start_gunicorn, stop_gunicorn

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("LOADTEST_PORT", "18100"))


def service(action: str) -> None:
    """`scripts/services.sh stop-pg`, `start-s3`, ...: on this run's ports (TEST_PGPORT, ...)."""
    subprocess.run(["scripts/services.sh", action], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def worker_pids(server: subprocess.Popen) -> set[str]:
    return set(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())


@contextlib.contextmanager
def live_gunicorn(tmp_path: Path):
    """Serve the test database (committed rows only: use a transactional test) at the yielded URL."""
    current_issuer_key()  # the signing key file exists before two workers could race to make it
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # Sessions made by the test process (loadtest.dataset) must be readable by the server.
        "SECRET_KEY": settings.SECRET_KEY,
        "CERTIFICATE_SIGNING_KEY_FILE": str(settings.CERTIFICATE_SIGNING_KEY_FILE),
        # A fresh cache namespace: nothing cached by earlier tests under reused keys.
        "CACHE_KEY_PREFIX": f"gunicorn-{uuid.uuid4().hex[:8]}",
    }
    connections.close_all()
    server = start_gunicorn(env, port=PORT, log=tmp_path / "gunicorn.log")
    try:
        yield f"http://127.0.0.1:{PORT}", server
    finally:
        stop_gunicorn(server)
