"""Operational endpoints that sit outside the language prefix, and the front door to Wagtail pages."""

import copy
import logging
import sys
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

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
@require_safe
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


def _site_and_root(request) -> tuple[Site, Page] | None:
    site = Site.find_for_request(request)
    if site is None or site.root_page is None:
        return None
    return site, site.root_page.specific


def serve_page(request, path):
    """Wagtail's page view, with the request's site and its root page in the active language kept
    for the content version (Wagtail looks them up with four queries on every request, though they
    change only with the content). Each request gets its own copies.

    Routes the way `Page.route_for_request` does, from the kept root, and leaves the site and the
    route where Wagtail keeps them for the request (`_wagtail_site`, `_wagtail_route_for_request`),
    so Wagtail's view serves the page as usual.
    """
    version = request_version(request)
    found = content_cache.get_or_build(
        version, ("site", request.get_host(), request.get_port()), lambda: _site_and_root(request)
    )
    if found is not None:
        site, root = copy.copy(found[0]), found[1]
        site.root_page = copy.copy(root)
        request._wagtail_site = site
        localized = content_cache.get_or_build(
            version, ("localized root", root.pk, get_language()), lambda: root.localized.specific
        )
        try:
            route = copy.copy(localized).route(request, [part for part in path.split("/") if part])
        except Http404:
            route = None
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)
