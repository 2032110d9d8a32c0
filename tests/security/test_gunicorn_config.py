"""The app server as deploy/gunicorn.conf.py runs it: only the proxy may talk to it or claim HTTPS,
and it names no version.

The attacks: gunicorn bound to every interface took requests that bypassed the proxy, with
`X-Forwarded-Proto: https` believed from anyone; `Server:` told which software (and version) served.
"""

import contextlib
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


def test_gunicorn_listens_on_loopback_and_trusts_only_the_local_proxy(monkeypatch, tmp_path):
    for name in ("GUNICORN_BIND", "FORWARDED_ALLOW_IPS", "GUNICORN_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    # The config sets it when unset; set here, it leaves with the test instead of staying.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    config = runpy.run_path(str(CONFIG))
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] == max(2, len(os.sched_getaffinity(0)))  # a worker per usable core
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_serving(tmp_path: Path, **settings: str):
    """gunicorn as deploy/gunicorn.conf.py runs it, on a free loopback port, on a database never
    migrated; yields a function that GETs a path and returns (status, headers, body)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "training.settings.dev",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        **settings,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "training.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )

    def get(path: str, **headers: str):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (http://127.0.0.1)
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, answer.read().decode()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/healthz")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.3)
        yield get
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_served_responses_name_no_server_version(tmp_path):
    with gunicorn_serving(tmp_path) as get:
        _status, headers, _body = get("/healthz")
    assert "/" not in headers.get("Server", "")  # "gunicorn", never "gunicorn/27.0.1"


def test_metrics_add_up_every_worker_and_start_from_zero_with_each_gunicorn(tmp_path):
    """deploy/gunicorn.conf.py: each worker counts into PROMETHEUS_MULTIPROC_DIR, a scrape answered
    by any worker adds them all up, and the previous run's count files are removed at start (one
    left there, unreadable, would break every scrape)."""
    folder, token = tmp_path / "metrics", "gunicorn-metrics-token-0123"
    folder.mkdir()
    (folder / "counter_4242.db").write_bytes(b"left by the previous run")
    with gunicorn_serving(
        tmp_path, GUNICORN_WORKERS="2", METRICS_TOKEN=token, PROMETHEUS_MULTIPROC_DIR=str(folder)
    ) as get:
        for _ in range(11):
            get("/healthz")  # a new connection each time: usually both workers answer some
        status, _headers, text = get("/metrics", Authorization=f"Bearer {token}")
    assert status == 200, text
    # 12: the 11 and the first, which waited for gunicorn to start; the tables were never migrated.
    assert 'training_http_requests_total{method="GET",status="200",view="healthz"} 12.0' in text
    assert "training_database_up 0.0" in text
    assert not (folder / "counter_4242.db").exists()
    assert 1 <= len(list(folder.glob("counter_*.db"))) <= 2  # a file per worker that counted
