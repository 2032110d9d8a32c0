"""The test suite: fast password hashing, mail kept in memory, immediate background tasks."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

SECRET_KEY = SECRET_KEY or "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Concurrency tests need real connections from several threads, so SQLite tests use a file.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
# Media written by tests never lands in the working tree.
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private"  # noqa: F405
# Each test run signs with its own throwaway key.
CERTIFICATE_SIGNING_KEY_FILE = str(BASE_DIR / ".test-keys" / "certificate-signing.key")  # noqa: F405
# Wagtail's editor autosaves every 500 ms; on a loaded two-core CI machine an autosave of a
# half-filled new page can race the journey's own Save/Publish clicks. Tests save explicitly.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Admin tests sign in with a password alone; tests of two-step verification switch it on themselves.
ADMIN_2FA_REQUIRED = False
