"""Operational endpoints that sit outside the language prefix."""

import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    # The cache backend hides outages as misses, so a round trip is the only honest check.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return ok


def _storage_ok() -> bool:
    default_storage.exists("healthz-probe")
    return True


CHECKS = {"database": _database_ok, "cache": _cache_ok, "storage": _storage_ok}


@never_cache
@require_GET
def healthz(request):
    """200 when the database, cache and default storage all answer; 503 naming what failed."""
    failing = []
    for name, check in CHECKS.items():
        try:
            ok = check()
        except Exception as error:  # any failure of a dependency means "not healthy"
            logger.warning("Health check %s failed: %s", name, type(error).__name__)
            ok = False
        if not ok:
            failing.append(name)
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


def bench_ok(request):
    """The benchmark baseline (only routed under the bench settings)."""
    return HttpResponse("ok", content_type="text/plain")
