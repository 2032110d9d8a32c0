"""Production: only tightens the base settings. Refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    MIDDLEWARE,
    PRODUCTION_STATIC_MIDDLEWARE,
    PRODUCTION_STATICFILES_STORAGE,
    REDIS_URL,
    SECRET_KEY,
    env,
    env_bool,
)

if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
if not env("CERTIFICATE_SIGNING_KEY") and not env("CERTIFICATE_SIGNING_KEY_FILE"):
    raise ImproperlyConfigured(
        "Set CERTIFICATE_SIGNING_KEY or CERTIFICATE_SIGNING_KEY_FILE to sign certificates."
    )

DEBUG = False
# A log collector reads one JSON object per line, one of them for each request.
LOG_FORMAT = env("LOG_FORMAT", "json")
LOG_REQUESTS = env_bool("LOG_REQUESTS", True)
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
DEMO_DATA_ALLOWED = False
CERTIFICATE_DEV_KEY_ALLOWED = False
# Trainers and staff sign in to the admin with a second factor.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", True)
# whitenoise serves hashed, compressed static files with long cache lifetimes.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_after_security], PRODUCTION_STATIC_MIDDLEWARE, *MIDDLEWARE[_after_security:]]
STORAGES["staticfiles"] = PRODUCTION_STATICFILES_STORAGE  # noqa: F405

# Throttle counters (login failures, password guesses, verification misses, reset mails) must be
# shared by every worker and app server: Redis when REDIS_URL is set, otherwise the database cache,
# whose table `migrate` creates. A per-process cache is refused at start-up (training/checks.py).
SHARED_CACHE_REQUIRED = True
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "training_cache",
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "training"),
            "TIMEOUT": 300,
            # Enough that nobody can flood the table until counters are culled.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# Persistent connections with health checks, so a restarted database is reconnected to.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Believed only from the proxies in TRUSTED_PROXIES (training/proxies.py); list the proxy there, and
# in gunicorn's FORWARDED_ALLOW_IPS (deploy/gunicorn.conf.py, docs/operations.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers and container health checks ask over plain HTTP on the private network; the
# answer is a status, the same for everyone.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# HSTS preloading is the operator's decision (it is hard to undo); when it is off, the check that
# recommends it has been answered.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
