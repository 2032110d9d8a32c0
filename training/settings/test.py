"""The test suite: fast password hashing, mail kept in memory, immediate background tasks."""

import os

from .base import *  # noqa: F403
from .base import REDIS_URL, SECRET_KEY

SECRET_KEY = SECRET_KEY or "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Concurrency tests need real connections from several threads, so SQLite tests use a file.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
# Under pytest-xdist (scripts/test-suite.sh runs `-n 2`) each worker process has its own files, key
# and Redis database, as pytest-django gives it its own test database: workers never see each
# other's writes, and one worker's `cache.clear()` never empties another's cache.
# scripts/test-suite.sh runs the SQLite pass and the scale-out pass side by side, so the scale-out
# pass's files are named apart too.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... or "" without xdist
_pass = "-scaleout" if DATABASES["default"]["ENGINE"].endswith("postgresql") else ""  # noqa: F405
_worker = _pass + (f"-{XDIST_WORKER}" if XDIST_WORKER else "")
# Media written by tests never lands in the working tree.
MEDIA_ROOT = BASE_DIR / f".test-media{_worker}"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / f".test-private{_worker}"  # noqa: F405
ERASURE_LOG_ROOT = BASE_DIR / f".test-erasure-log{_worker}"  # noqa: F405
BACKUP_ROOT = BASE_DIR / f".test-backups{_worker}"  # noqa: F405
# Each test run signs with its own throwaway key.
CERTIFICATE_SIGNING_KEY_FILE = str(BASE_DIR / ".test-keys" / f"certificate-signing{_worker}.key")  # noqa: F405
if XDIST_WORKER and STORAGES["private"]["BACKEND"].endswith("S3Storage"):  # noqa: F405
    # Each worker's certificate PDFs under its own prefix inside the private one: both workers
    # issue MSDHS-2026-000001 in their own databases, and the bucket is shared.
    STORAGES["private"]["OPTIONS"]["location"] += f"/{XDIST_WORKER}"  # noqa: F405
if REDIS_URL and XDIST_WORKER:
    # redis://host:port/1 for a run without workers; /2, /3, ... for gw0, gw1, ...
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{2 + int(XDIST_WORKER.removeprefix('gw'))}"
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
# Wagtail's editor autosaves every 500 ms; on a loaded two-core CI machine an autosave of a
# half-filled new page can race the journey's own Save/Publish clicks. Tests save explicitly.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Admin tests sign in with a password alone; tests of two-step verification switch it on themselves.
ADMIN_2FA_REQUIRED = False
