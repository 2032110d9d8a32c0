"""Operational endpoints that sit outside the language prefix, the error pages, the language switch,
and the front door to Wagtail pages."""

import copy
import logging
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import LANGUAGE_QUERY_PARAMETER
from wagtail import views as wagtail_views

from training.content_version import content_cache, kept_site_and_root, request_version
from training.storage import private_storage

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
    # Both the public media storage and the private one (certificate PDFs) must answer.
    default_storage.exists("healthz-probe")
    private_storage().exists("healthz-probe")
    return True


CHECKS = {"database": _database_ok, "cache": _cache_ok, "storage": _storage_ok}


@never_cache
@require_safe
def healthz(request):
    """200 when the database, cache and both storages all answer; 503 naming what failed."""
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
        # The client is asked to send the same request again, so it must leave with the state it
        # came with: a sign-in that rotated the CSRF token before meeting the outage must not hand
        # out the new token, or the form sent again is refused 403. (The session is not saved on a
        # 5xx either.)
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def _error_page(request, template_name: str, status: int, context: dict | None = None) -> HttpResponse:
    response = HttpResponse(loader.render_to_string(template_name, context, request=request), status=status)
    add_never_cache_headers(response)
    return response


def bad_request(request, exception=None):
    """The 400 handler: the translated page in the site's layout.

    Django's own handler checks the CSRF token first, which reads the request body again; a body
    that could not be decoded (a form posted as UTF-16, say) then fails a second time and the 400
    becomes a 500. This one never reads the body.
    """
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    """The 403 handler, for the site and for the admin's views that refuse with PermissionDenied."""
    return _error_page(request, "403.html", 403)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (an expired page, blocked cookies): say what to do next.

    The technical reason goes to the log (Django logs it), never to the page. "Open the page again"
    leads to the page the form was on when the browser says so, else to the address it was sent to.
    """
    referer = request.META.get("HTTP_REFERER")
    back_url = referer if _safe(request, referer) else request.path
    return _error_page(request, "403_csrf.html", 403, {"back_url": back_url})


def bench_ok(request):
    """The benchmark baseline (only routed under the bench settings)."""
    return HttpResponse("ok", content_type="text/plain")


def serve_page(request, path):
    """Wagtail's page view, with the request's site and its root page in the active language kept
    for the content version (Wagtail looks them up with four queries on every request, though they
    change only with the content). Each request gets its own copies.

    Routes the way `Page.route_for_request` does, from the kept root, and leaves the site and the
    route where Wagtail keeps them for the request (`_wagtail_site`, `_wagtail_route_for_request`),
    so Wagtail's view serves the page as usual.
    """
    version = request_version(request)
    found = kept_site_and_root(request)
    if found is not None:
        root = found[1]
        localized = content_cache.get_or_build(
            version, ("localized root", root.pk, get_language()), lambda: root.localized.specific
        )
        try:
            route = copy.copy(localized).route(request, [part for part in path.split("/") if part])
        except Http404:
            route = None
        request._wagtail_route_for_request = route
    return wagtail_views.serve(request, path)


def _without_language_prefix(path: str) -> str:
    """The path as the default language (unprefixed) has it: /en/courses/ -> /courses/."""
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return "/" + path[len(code) + 2 :]
    return path


def url_in_language(url: str, language_code: str) -> str:
    """The same page in another language. Works from a URL in either language: the prefix it carries
    is taken off first, so /en/ becomes / in Thai and stays /en/ in English (never /en/en/)."""
    parts = urlsplit(url)
    neutral = urlunsplit(parts._replace(path=_without_language_prefix(parts.path)))
    # Resolved as a default-language (unprefixed) URL, then reversed in the language asked for.
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(neutral, language_code)


def _safe(request, url: str | None) -> bool:
    return url_has_allowed_host_and_scheme(
        url=url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def set_language(request):
    """Django's `set_language` (the language cookie, and back to `next`, or the referring page, or
    home when neither is safe), with `next` taken to the same page in the chosen language whichever
    language its URL was in."""
    next_url = request.POST.get("next", request.GET.get("next"))
    if (next_url or request.accepts("text/html")) and not _safe(request, next_url):
        next_url = request.META.get("HTTP_REFERER")
        if not _safe(request, next_url):
            next_url = "/"
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER) if request.method == "POST" else None
    chosen = language if language and check_for_language(language) else None
    if next_url and chosen:
        next_url = url_in_language(next_url, chosen)
    response = HttpResponseRedirect(next_url) if next_url else HttpResponse(status=204)
    if chosen:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            chosen,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_safe
def public_media(request, path):
    """A public media file (lesson images, renditions, documents' files) from MEDIA_ROOT.

    Only for local storage, where no proxy or bucket serves them; `static.serve` refuses paths
    outside the folder and answers If-Modified-Since. Names change when files do (renditions carry
    a hash, uploads a unique suffix), so browsers may keep them for a day.
    """
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=86400"
    return response
