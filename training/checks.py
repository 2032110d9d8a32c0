"""Counters that every worker shares: the cache the throttles count in.

Login failures, current-password guesses, verification misses and reset mails are counted in the
default cache. A per-process cache (local memory) gives each gunicorn worker its own count, so two
workers double every limit; a dummy cache counts nothing. Production (SHARED_CACHE_REQUIRED) uses
Redis when REDIS_URL is set and the database cache otherwise, and refuses to start with a
per-process one: `manage.py check` reports training.E020, and the WSGI application will not load.

The database cache's table is created by `manage.py migrate` (after every migration run, when it is
missing), whatever the settings that migrate runs under, so no deployment step can forget it.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# The table of the database cache production falls back to without REDIS_URL.
SHARED_CACHE_TABLE = "training_cache"
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, checks.Tags.caches)
def check_throttle_cache_is_shared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "SHARED_CACHE_REQUIRED", False):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}) is kept by each process apart: every worker would count "
            "login failures and other limits on its own, multiplying them.",
            hint="Set REDIS_URL, or leave it unset for the database cache (training/checks.py).",
            id="training.E020",
        )
    ]


def refuse_per_process_counters() -> None:
    """Raise at start-up (training/wsgi.py) when the throttles would count per process."""
    errors = check_throttle_cache_is_shared()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")


def create_shared_cache_table(using: str = "default", **kwargs) -> None:
    """After `migrate`: the database cache's table, unless it exists (a post_migrate receiver)."""
    from django.core.management import call_command

    call_command("createcachetable", SHARED_CACHE_TABLE, database=using, verbosity=0)
