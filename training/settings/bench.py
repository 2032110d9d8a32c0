"""Benchmarks only: production settings minus the HTTPS-only flags, for plain HTTP on loopback.

Never used for deployment. Adds the bare baseline view the benchmark compares every scenario with.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key-" + "x" * 40)
os.environ.setdefault(
    "CERTIFICATE_SIGNING_KEY_FILE", os.path.join(os.path.dirname(__file__), "../../bench/data/signing.key")
)

from .production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CERTIFICATE_DEV_KEY_ALLOWED = True
BENCH_BASELINE = True
DEMO_DATA_ALLOWED = True  # the benchmark builds on the demo site, on loopback only
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
