"""The app server as deploy/gunicorn.conf.py runs it: only the proxy may talk to it or claim HTTPS,
and it names no version.

The attacks: gunicorn bound to every interface took requests that bypassed the proxy, with
`X-Forwarded-Proto: https` believed from anyone; `Server:` told which software (and version) served.
"""

import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def test_gunicorn_listens_on_loopback_and_trusts_only_the_local_proxy(monkeypatch):
    for name in ("GUNICORN_BIND", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_served_responses_name_no_server_version(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "training.settings.dev",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "training.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                    headers = answer.headers
                break
            except urllib.error.HTTPError as answer:  # 503: no database here, headers all the same
                headers = answer.headers
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
        assert "/" not in headers.get("Server", "")  # "gunicorn", never "gunicorn/27.0.1"
    finally:
        server.terminate()
        server.wait(timeout=30)
