"""Production settings, run as an operator would: `manage.py check --deploy` in a subprocess.

The attacks: with two gunicorn workers and a cache in each worker's memory, every limit doubled
(5 login failures became 9); production must count in a shared store and refuse to start otherwise.
`check --deploy` reports nothing but security.W021 (HSTS preloading, the operator's decision).
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.db import DatabaseCache

from training.checks import SHARED_CACHE_TABLE
from volunteers import throttle

ROOT = Path(__file__).resolve().parents[2]
CHECK_ID = re.compile(r"\(([a-z_]+\.[A-Z]\d{3})\)")


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What production requires, set to plausible values; nothing from the test run's own settings."""
    key_file = tmp_path / "signing.key"
    key_file.write_text("")  # the key is read only when something is signed
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "training.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "CERTIFICATE_SIGNING_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": "training.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://training.example.org",
        "SITE_URL": "https://training.example.org",
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    return {**env, **extra}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240
    )


def per_process_settings(tmp_path: Path) -> str:
    """Production settings whose cache is one worker's memory: what a careless override would make."""
    (tmp_path / "per_process_settings.py").write_text(
        "from training.settings.production import *  # noqa\n"
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"
    )
    return "per_process_settings"


def test_check_deploy_reports_nothing_but_w021(tmp_path):
    env = production_env(tmp_path, SECURE_HSTS_PRELOAD="false")
    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert set(CHECK_ID.findall(output)) <= {"security.W021"}, output
    assert result.returncode == 0, output
    # W021 is the only one answered by silencing; nothing else is hidden.
    assert "(1 silenced)" in output or "no issues (0 silenced)" in output, output


def test_production_without_redis_counts_in_the_database(tmp_path):
    env = production_env(tmp_path)
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run(env, "-c", f"import django; django.setup(); {code}")
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache", result.stderr


def test_production_refuses_per_process_throttle_counters(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE=per_process_settings(tmp_path))
    checked = run(env, "manage.py", "check", "--deploy")
    assert checked.returncode != 0
    assert "training.E020" in checked.stderr
    # gunicorn runs no system checks: loading the application refuses too.
    served = run(env, "-c", "import training.wsgi")
    assert served.returncode != 0
    assert "ImproperlyConfigured" in served.stderr and "REDIS_URL" in served.stderr


def test_development_keeps_the_local_memory_cache(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="training.settings.dev")
    result = run(env, "manage.py", "check")
    assert result.returncode == 0, result.stderr
    assert "training.E020" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_two_workers_with_the_database_cache_share_one_login_count(rf, settings, monkeypatch):
    """Two cache objects stand for two workers' processes: a failure one counts, the other sees."""
    settings.LOGIN_FAILURE_LIMIT = 3
    workers = [DatabaseCache(SHARED_CACHE_TABLE, {"KEY_PREFIX": "two-workers"}) for _ in range(2)]
    request = rf.post("/accounts/login/", REMOTE_ADDR="198.51.100.30")
    for attempt in range(3):
        monkeypatch.setattr(throttle, "cache", workers[attempt % 2])
        assert not throttle.login_is_throttled(request, "someone@example.org")
        throttle.login_failure_record(request, "someone@example.org")
    for worker in workers:
        monkeypatch.setattr(throttle, "cache", worker)
        assert throttle.login_is_throttled(request, "someone@example.org")
    workers[0].clear()


def test_production_sends_the_language_cookie_over_https_only(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "answer = Client().post('/i18n/setlang/', {'language': 'en', 'next': '/'}, secure=True,"
        " headers={'host': 'training.example.org'})\n"
        "cookie = answer.cookies['django_language']\n"
        "print(answer.status_code, bool(cookie['secure']), cookie['samesite'], bool(cookie['httponly']))\n"
        "print(answer['Permissions-Policy'])\n"
    )
    result = run(production_env(tmp_path), "-c", code)
    status_line, policy = result.stdout.splitlines()[:2]
    assert status_line == "302 True Lax True", result.stderr
    assert "camera=()" in policy


def test_the_health_check_answers_over_plain_http_and_nothing_else_does(tmp_path):
    """A load balancer or the container's health check asks over HTTP on the private network; every
    other address still goes to HTTPS."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='training.example.org')\n"
        "print(*(client.get(path).status_code for path in ('/healthz', '/', '/metrics')))\n"
    )
    done = run(production_env(tmp_path), "-c", script)
    assert done.returncode == 0, done.stderr
    health, home, metrics = done.stdout.split()
    assert health in ("200", "503") and home == "301" and metrics == "301"
