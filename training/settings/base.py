"""Settings shared by every environment.

Everything secret or deployment-specific comes from environment variables (see `.env.example`);
an absent variable means the embedded default: SQLite, local media, local-memory cache.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from training.dates import time_zone_names

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_secret(name: str) -> str:
    """A secret from the environment, or from the file that NAME_FILE names (Docker's and
    Kubernetes' secrets mounted as files); the file's trailing newline is dropped."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE names {path}, which cannot be read: {error}") from error
    return ""


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env_secret("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public base URL, used for links where no request exists (QR codes, credentials, emails).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "training",
    "volunteers",
    "courses",
    "certificates",
    "notifications",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",  # the database queue `manage.py worker` runs (training.worker)
]

MIDDLEWARE = [
    # First: the request's id (and its person's) for every log line, error report and metric.
    "training.observability.context.RequestContextMiddleware",
    # X-Forwarded-Proto is believed only from TRUSTED_PROXIES, before anything asks is_secure().
    "training.proxies.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "training.middleware.ContentSecurityPolicyMiddleware",
    "training.middleware.PermissionsPolicyMiddleware",
    "training.session_stores.middleware.SessionMiddleware",  # Django's, minus a race at sign-in
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "volunteers.sessions.AccountSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before anything reads the body: the size allowed depends on who sends it.
    "training.request_limits.RequestSizeLimitMiddleware",
    "training.request_limits.RejectNulMiddleware",
    "volunteers.middleware.LoginThrottleMiddleware",
    "volunteers.middleware.ConsentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "training.time_zones.ReaderTimeZoneMiddleware",
    "training.middleware.PrivateResponsesMiddleware",
    "training.middleware.RefusedUploadStatusMiddleware",
    "training.middleware.AdminIdleTimeoutMiddleware",
    "volunteers.two_factor.AdminTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "training.urls"
WSGI_APPLICATION = "training.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # Dates read the same everywhere (training.dates), without a load tag in each template.
            "builtins": ["training.templatetags.thai_dates"],
        },
    },
]

# Security headers. The public site runs no inline scripts: scripts come from our own static files
# or carry the per-response nonce (`{{ request.csp_nonce }}`).
# Public media come from the site itself, from AWS_S3_CUSTOM_DOMAIN (a proxy path or a CDN; see
# "Media storage" below), or from the S3 endpoint; MEDIA_ORIGIN names another origin (a CDN).
# (Not named AWS_S3_CUSTOM_DOMAIN here: django-storages would give that to every bucket, the private one
# included.)
MEDIA_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN").strip("/")
MEDIA_ORIGINS = [
    origin
    for origin in [
        f"https://{MEDIA_CUSTOM_DOMAIN.split('/')[0]}" if MEDIA_CUSTOM_DOMAIN else env("AWS_S3_ENDPOINT_URL"),
        env("MEDIA_ORIGIN"),
    ]
    if origin
]
EMBED_ORIGINS = ["https://www.youtube-nocookie.com", "https://www.youtube.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE becomes the response's nonce when a template reads `request.csp_nonce`, and is left
        # out otherwise (the string "'nonce'" would reach browsers as an invalid source).
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "media-src": ["'self'", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "frame-src": EMBED_ORIGINS,
        # The storage's origin too: the offline app's service worker fetches a saved course's
        # pictures and files from it, and its fetches obey this directive.
        "connect-src": ["'self'", *MEDIA_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Wagtail's admin needs inline scripts and styles, and frames its own previews.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'", *EMBED_ORIGINS],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Browser features no page of the site uses, refused for the pages and any frame they embed (video
# embeds keep fullscreen and picture-in-picture, which are not listed).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail lets its own preview views be framed by the admin
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The language cookie is read by the server only (production also sends it over HTTPS only).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# A refused form gets a translated page in the site's layout that says what to do next.
CSRF_FAILURE_VIEW = "training.views.csrf_failure"

# Database: DATABASE_URL when set (PostgreSQL when scaled out), otherwise a local SQLite file in
# WAL mode. IMMEDIATE transactions take the write lock up front, so concurrent writers wait for
# the busy timeout instead of failing with "database is locked" half-way through a transaction.
# A sqlite:// DATABASE_URL gets the same options.
SQLITE_PATH = env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=int(env("DB_CONN_MAX_AGE", "0")), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, with a health check that needs no `SELECT 1` round trip when the
        # connection plainly lives (training/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "training.postgresql"
        options = DATABASES["default"].setdefault("OPTIONS", {})
        if env("DATABASE_JIT", "off") == "off":
            # PostgreSQL's JIT compiles a query the planner thinks costly: the staff exports' spent
            # 0.53 s of their 0.73 s compiling at 16,000 rows, for queries that read by index. Off
            # for this site's connections (DATABASE_JIT=server keeps the server's setting, for a
            # pooler that refuses startup options).
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        if env("DATABASE_PREPARED_STATEMENTS", "on") == "on":
            # Values sent apart from the SQL, and a query a connection has run five times prepared
            # on the server, which then parses and plans it once: the signed-in pages' queries are
            # the same few each time (course page 0.15 -> 0.17 of the bare view, dashboard 0.10 ->
            # 0.13, bench/README.md). A pooler in transaction mode (PgBouncer before 1.21, or
            # without max_prepared_statements) loses prepared statements between transactions:
            # DATABASE_PREPARED_STATEMENTS=off there.
            options["server_side_binding"] = True
            options["prepare_threshold"] = 5
else:
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH, "OPTIONS": SQLITE_OPTIONS}
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, through a backend that treats an outage as a miss, so a
# Redis failure slows pages down but never breaks them.
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "training.cache.FailsafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "training"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = "training.session_stores.cached_db"  # Django's, its read compiled once
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "training.session_stores.db"  # Django's, its read compiled once

# Storage comes in two kinds. "default" holds public lesson media (images, renditions, documents,
# videos) under stable URLs that pages and the offline app can cache: MEDIA_ROOT served at MEDIA_URL,
# or the media bucket with unsigned URLs, which its bucket policy lets anyone read (docs/operations.md).
# "private" holds personal files (certificate PDFs): a folder outside MEDIA_ROOT, or a private bucket
# (or the media bucket's private prefix) that anonymous clients cannot read. Private files have no
# public URL; they are reached only through permission-checked views such as /certificates/<token>.pdf.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
AWS_PRIVATE_STORAGE_BUCKET_NAME = env("AWS_PRIVATE_STORAGE_BUCKET_NAME") or AWS_STORAGE_BUCKET_NAME
AWS_PRIVATE_LOCATION = env("AWS_PRIVATE_LOCATION", "private").strip("/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Local public media is served by the app itself unless a proxy in front serves MEDIA_ROOT.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)
if AWS_STORAGE_BUCKET_NAME:
    S3_CONNECTION = {
        "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env("AWS_S3_REGION_NAME") or None,
        "access_key": env("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_secret("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": "s3v4",
        "file_overwrite": False,
        "default_acl": None,
    }
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_CONNECTION,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "querystring_auth": False,
            # Browsers fetch https://<this>/<key>: e.g. the site's own host and /media, where the
            # proxy in front passes GETs to the media bucket (deploy/Caddyfile).
            "custom_domain": MEDIA_CUSTOM_DOMAIN or None,
        },
    }
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **S3_CONNECTION,
            "bucket_name": AWS_PRIVATE_STORAGE_BUCKET_NAME,
            "location": AWS_PRIVATE_LOCATION,
            # Never handed out; should anything ask, it gets a short-lived signed URL.
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    PRIVATE_STORAGE = {"BACKEND": "training.storage.PrivateFileSystemStorage"}  # in PRIVATE_MEDIA_ROOT

# Two more places, each apart from the database and the media: the erasure log, one small file per
# erased person (their id and when), which a restore replays so that nobody erased after the backup
# comes back (volunteers/erasure_log.py); and the encrypted nightly backups (training/backups.py).
# Each is a folder (ERASURE_LOG_ROOT, BACKUP_ROOT: put them on another disk or share) or a bucket of
# its own (AWS_ERASURE_LOG_BUCKET_NAME, AWS_BACKUP_BUCKET_NAME, with the media's S3 connection).
ERASURE_LOG_ROOT = Path(env("ERASURE_LOG_ROOT", str(BASE_DIR / "erasure-log")))
BACKUP_ROOT = Path(env("BACKUP_ROOT", str(BASE_DIR / "backups")))


ERASURE_LOG_FOLDER = "training.storage.ErasureLogFileSystemStorage"
BACKUP_FOLDER = "training.storage.BackupFileSystemStorage"


def _own_place(bucket: str, folder_storage: str) -> dict:
    if not bucket:
        return {"BACKEND": folder_storage}
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured(f"{bucket} uses the media's S3 connection: set AWS_STORAGE_BUCKET_NAME.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**S3_CONNECTION, "bucket_name": bucket, "querystring_auth": True},
    }


STORAGES = {
    "default": DEFAULT_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "erasure_log": _own_place(env("AWS_ERASURE_LOG_BUCKET_NAME"), ERASURE_LOG_FOLDER),
    "backups": _own_place(env("AWS_BACKUP_BUCKET_NAME"), BACKUP_FOLDER),
}
# Backups are encrypted to these age public keys (age1...; comma-separated): the server can write
# them but not read them; the matching identity is kept offline and needed only to restore.
BACKUP_AGE_RECIPIENTS = env_list("BACKUP_AGE_RECIPIENTS")
BACKUP_KEEP_DAYS = int(env("BACKUP_KEEP_DAYS", "30"))
# How production serves static files: whitenoise, hashed and pre-compressed copies, cached for a
# year. production.py switches it on; tests/browser/test_page_weight.py measures pages served so.
PRODUCTION_STATIC_MIDDLEWARE = "whitenoise.middleware.WhiteNoiseMiddleware"
PRODUCTION_STATICFILES_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

AUTH_USER_MODEL = "volunteers.User"
# Django's model backend, whose person for each request carries the unread notification count for
# the header's bell (no query of its own on any page).
AUTHENTICATION_BACKENDS = ["notifications.auth.NotificationCountBackend"]
# Django's four checks, with rules and errors in our catalogs (volunteers/passwords.py), and at
# least 12 characters for trainers and staff (ASVS 2.1.1).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "volunteers.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "volunteers.passwords.MinimumLengthValidator"},
    {"NAME": "volunteers.passwords.AdminRoleMinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "volunteers.passwords.CommonPasswordValidator"},
    {"NAME": "volunteers.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
# Trainers and staff are signed out after this long without activity.
ADMIN_IDLE_TIMEOUT_SECONDS = int(env("ADMIN_IDLE_TIMEOUT_SECONDS", str(30 * 60)))
# Two-step verification (TOTP) for everyone who can open the admin. When not required, anyone may
# set up an authenticator app in the admin, and whoever has one must use it.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)
OTP_TOTP_ISSUER = "MSDHS volunteer training"  # the account's name in authenticator apps
# Signing in without a `next` lands on "My learning", which leads to the courses and certificates.
LOGIN_REDIRECT_URL = "learning_dashboard"
LOGOUT_REDIRECT_URL = "/"
# Links that set a password (a reset, or an invitation from staff) work for hours, not days; an
# invited person whose link expired asks for a new one through "Forgot your password?".
PASSWORD_RESET_TIMEOUT = 24 * 3600

# Login throttling (public and admin login): after LOGIN_FAILURE_LIMIT failures for one account
# from one address, LOGIN_FAILURES_PER_ACCOUNT for one account from all addresses together, or
# LOGIN_FAILURES_PER_ADDRESS from one address, within LOGIN_FAILURE_WINDOW seconds, further
# attempts get 429. An account is the one the typed address signs in to, however it is spelled
# (volunteers/throttle.py). The client address is REMOTE_ADDR unless the request came through a
# proxy listed in TRUSTED_PROXIES (addresses or networks), whose X-Forwarded-For is used.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURES_PER_ACCOUNT = int(env("LOGIN_FAILURES_PER_ACCOUNT", "20"))
LOGIN_FAILURES_PER_ADDRESS = int(env("LOGIN_FAILURES_PER_ADDRESS", "50"))
LOGIN_FAILURE_WINDOW = int(env("LOGIN_FAILURE_WINDOW", "900"))
# Wrong current passwords when changing a password (the site's and the admin's form): after this
# many within LOGIN_FAILURE_WINDOW, the form refuses to check the current password at all.
PASSWORD_GUESS_LIMIT = int(env("PASSWORD_GUESS_LIMIT", "5"))
# Account mails (sign-up, the confirmation link again, password reset): at most
# ACCOUNT_MAILS_PER_EMAIL to one address and ACCOUNT_MAILS_PER_CLIENT from one client address within
# ACCOUNT_MAIL_WINDOW seconds. A reset over the limit gets the same answer without an email; a
# sign-up over it is asked to wait (429), whether or not the address has an account.
ACCOUNT_MAILS_PER_EMAIL = int(env("ACCOUNT_MAILS_PER_EMAIL", "5"))
ACCOUNT_MAILS_PER_CLIENT = int(env("ACCOUNT_MAILS_PER_CLIENT", "20"))
ACCOUNT_MAIL_WINDOW = int(env("ACCOUNT_MAIL_WINDOW", "3600"))
# Wagtail's own "forgotten password" in the admin would mail any account with no limit; staff and
# trainers use the site's limited reset (/accounts/password-reset/) instead.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Languages: Thai first and unprefixed at /, English under /en/.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
# The project's own strings first; then its Thai for the packages the admin is built from (Wagtail,
# wagtail-localize, django-otp, Django), which wins over theirs (docs/glossary.md).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "packages"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# The issuer's calendar: certificates and staff reports show dates in Bangkok time.
DISPLAY_TIME_ZONE = "Asia/Bangkok"

# Email: every message is written to the outbox inside the request (notifications.outbox) and
# delivered by `manage.py worker` through OUTBOX_DELIVERY_BACKEND: SMTP when EMAIL_HOST is set,
# otherwise printed on the worker's console.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env("EMAIL_BACKEND", "notifications.outbox.OutboxBackend")
OUTBOX_DELIVERY_BACKEND = env(
    "OUTBOX_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
# Where django.core.mail.backends.filebased.EmailBackend writes messages (the journey tests read them).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH") or None
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds the worker waits on the mail server before the attempt counts as failed.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "60"))
# The worker looks for mail to deliver every OUTBOX_POLL_SECONDS; a message being sent for longer
# than OUTBOX_LEASE_SECONDS belongs to a worker that died and is sent again; after
# OUTBOX_MAX_ATTEMPTS failed attempts it waits for staff (Settings > Undelivered mail).
OUTBOX_POLL_SECONDS = float(env("OUTBOX_POLL_SECONDS", "2"))
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "300"))
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "8"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "no-reply@training.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Notifications come from DEFAULT_FROM_EMAIL under the ministry's name in the recipient's language
# (unless DEFAULT_FROM_EMAIL names a sender itself, "Name <address>").
NOTICE_SENDER_NAMES = {
    "th": env("NOTICE_SENDER_NAME_TH", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"),
    "en": env("NOTICE_SENDER_NAME_EN", "Ministry of Social Development and Human Security"),
}
# Wagtail's own admin mails (the course review workflow) come from the same address under the
# ministry's Thai name (they are written in the recipient's admin language, Thai unless they chose
# English), and not to superusers, who run the system rather than review courses.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = (
    DEFAULT_FROM_EMAIL if "<" in DEFAULT_FROM_EMAIL else f"{NOTICE_SENDER_NAMES['th']} <{DEFAULT_FROM_EMAIL}>"
)
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Trainers' weekly digest names a quiz whose pass rate over the week fell below
# QUIZ_PASS_RATE_ALERT (a share, 0.5 = half), once it had QUIZ_PASS_RATE_MIN_ATTEMPTS finished attempts.
QUIZ_PASS_RATE_ALERT = float(env("QUIZ_PASS_RATE_ALERT", "0.5"))
QUIZ_PASS_RATE_MIN_ATTEMPTS = int(env("QUIZ_PASS_RATE_MIN_ATTEMPTS", "5"))

# Certificates: the Ed25519 key that signs credentials (Multikey form, "z3u2..."), or a file
# holding it. Development and tests generate a key file on first use; production requires one.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY")
CERTIFICATE_SIGNING_KEY_FILE = env(
    "CERTIFICATE_SIGNING_KEY_FILE", str(BASE_DIR / ".keys" / "certificate-signing.key")
)
CERTIFICATE_DEV_KEY_ALLOWED = True
CERTIFICATE_ISSUER_NAME_TH = env("CERTIFICATE_ISSUER_NAME_TH", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์")
CERTIFICATE_ISSUER_NAME_EN = env(
    "CERTIFICATE_ISSUER_NAME_EN", "Ministry of Social Development and Human Security, Thailand"
)
# `certificate_verify` trusts only these issuer profile URLs (comma-separated); empty: this site's.
CERTIFICATE_TRUSTED_ISSUERS = env_list("CERTIFICATE_TRUSTED_ISSUERS")

# seed_demo creates demo users with published passwords; production settings switch it off.
DEMO_DATA_ALLOWED = True

# Tasks are queued in the database, in the caller's transaction, for `manage.py worker`, which
# retries failed tasks and re-runs those a dead worker left running (training.worker). The
# immediate backend (django_tasks.backends.immediate.ImmediateBackend) runs them in the request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task running longer than this is taken to belong to a worker that died, and runs again.
TASK_LEASE_SECONDS = int(env("TASK_LEASE_SECONDS", "900"))

# Where the quick exit button of a sensitive lesson leaves for: a neutral site.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", "https://www.google.com/")

# Wagtail
WAGTAIL_SITE_NAME = _("Overseas volunteer training")
WAGTAIL_I18N_ENABLED = True
# The admin's time zone choice offers what the volunteers' does (every country's zones and UTC), not
# every file of the system's tz database: Debian's holds "localtime", which browsers refuse.
WAGTAIL_USER_TIME_ZONES = time_zone_names()
# The admin speaks the languages the site does.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("th", "ภาษาไทย"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_BASE_URL = SITE_URL
# No Gravatar pictures: they would send a hash of each trainer's and staff member's email address to
# a third party, and the admin's Content-Security-Policy blocks them anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# External embeds: oEmbed providers' players, and any other web address as a plain link
# (courses/authoring/embeds.py).
WAGTAILEMBEDS_FINDERS = [
    {"class": "wagtail.embeds.finders.oembed"},
    {"class": "courses.authoring.embeds.LinkFinder"},
]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "mp4", "webm", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.authoring.document_forms.LessonDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.authoring.image_forms.LessonImageForm"
# Refuses decompression bombs: a small file that would unpack into a huge picture.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Request bodies other than files are held in memory up to this size, and refused (400) above it;
# uploaded files larger than FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Logs (training/observability/logs.py): "plain" lines for a terminal, or "json", one object per
# line with the request's id and its person's id, for a log collector (production's default).
LOG_FORMAT = env("LOG_FORMAT", "plain")
# One line per request (method, view name, status, duration; never the address).
LOG_REQUESTS = env_bool("LOG_REQUESTS", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "training.observability.logs.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "training.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Error reports (training/observability/errors.py): Sentry's SDK, personal data scrubbed.
SENTRY_DSN = env_secret("SENTRY_DSN")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "production")
# What is deployed, for error reports (the image sets it to the release tag or commit).
RELEASE = env("RELEASE")
# Prometheus metrics at /metrics for whoever presents this bearer token (or the file's content);
# unset, the address answers 404 and nothing is counted (training/observability/metrics.py).
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_TOKEN_FILE = env("METRICS_TOKEN_FILE")
