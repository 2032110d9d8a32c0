"""gunicorn for the load and fault tests: 2 sync workers, the bench settings, plain HTTP on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from loadtest.collected_static import collected_static

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))


def start_gunicorn(env: dict, *, port: int, log: Path, workers: int = 2) -> subprocess.Popen:
    env = {**env, "DJANGO_SETTINGS_MODULE": "training.settings.bench"}
    # The bench settings serve hashed static files through whitenoise, which needs the manifest:
    # collected once per source tree (loadtest/collected_static.py).
    env["STATIC_ROOT"] = str(
        collected_static(env, python=str(VENV / "bin/python"), settings="training.settings.bench")
    )
    log.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        [
            str(VENV / "bin/gunicorn"),
            "training.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--timeout",
            "60",
            "--backlog",
            "2048",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer on port {port}; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
