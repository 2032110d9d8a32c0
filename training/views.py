"""Operational endpoints that sit outside the language prefix, and the front door to Wagtail pages."""

import copy
import logging
import sys
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.models import Site

from training.content_version import content_cache, request_version

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


# How long a client is asked to wait before trying again while the database is unreachable: about
# the time a PostgreSQL restart or fail-over takes.
DATABASE_RETRY_AFTER_SECONDS = 10
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """The 500 handler: a database that cannot be reached is a temporary outage, answered 503 with
    Retry-After (the client should try again; nothing was half-saved, because the transaction rolled
    back), not a server error. Neither page touches the database or the request's session."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def bench_ok(request):
    """The benchmark baseline (only routed under the bench settings)."""
    return HttpResponse("ok", content_type="text/plain")


def _site_and_root(request) -> tuple[Site, object] | None:
    site = Site.find_for_request(request)
    if site is None or site.root_page is None:
        return None
    return site, site.root_page.specific


def serve_page(request, path):
    """Wagtail's page view, with the request's site and its root page kept for the content version
    (Wagtail finds them with three queries on every request, though they change only with the
    content). Each request gets its own copies."""
    key = ("site", request.get_host(), request.get_port())
    found = content_cache.get_or_build(request_version(request), key, lambda: _site_and_root(request))
    if found is not None:
        site, root = copy.copy(found[0]), copy.copy(found[1])
        site.root_page = root
        request._wagtail_site = site  # where Site.find_for_request keeps the site of a request
    return wagtail_views.serve(request, path)
