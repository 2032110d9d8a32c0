"""The installable app: its web app manifest, its service worker and the page it shows offline.

Progressive enhancement: every page works without JavaScript; with it, `static/js/app.js` registers
the service worker (`/sw.js`, the whole site its scope), and the browser offers to install the site
as an app that opens on the volunteer's learning page.

The service worker caches only an allow-list: the app shell (the site's stylesheet, scripts, fonts
and icons, and the offline page in each language), precached when it installs and replaced whole
when a deploy changes any of it (its version is a hash of the shell's addresses, which carry the
static files' content hashes in production, and of the offline pages). Nothing a person reads
about themselves (certificates, accounts, the admin, exports) is ever cached. A page that cannot be
reached offline shows the offline page in its language instead of the browser's error.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

THEME_COLOR = "#0b5394"  # --brand in static/css/site.css
BACKGROUND_COLOR = "#ffffff"
# The app's identity: one app in both languages (its start page differs by language).
APP_ID = "/learn/"
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/maskable-192.png", "192x192", "maskable"),
    ("icons/maskable-512.png", "512x512", "maskable"),
]
# What the service worker precaches besides the offline pages: the layout every page needs (the
# icons are fetched by the browser itself when it installs the app).
SHELL_STATIC = [
    "css/site.css",
    "js/app.js",
    "js/quick-exit.js",
    "fonts/NotoSansThai-Regular.woff2",
    "fonts/NotoSans-Latin-Regular.woff2",
]
# Cached when a page first asks for them (cache first afterwards): the shell's other fonts.
SHELL_STATIC_PREFIXES = ["fonts/"]
# Static files are fetched by the lesson pages as they are; manifests and icons change rarely.
MANIFEST_MAX_AGE = 24 * 60 * 60


def account_key(user) -> str:
    """The key the offline app files an account's saved courses and queued actions under.

    Pages carry it (`<meta name="app-account">`) and the sync endpoint checks it, so a shared
    phone never shows or sends one person's saved lessons or answers as another's. It does not
    reveal the account's id, and it is the same on every page and process (derived from the
    secret key), so a course saved yesterday is found today.
    """
    return salted_hmac("training.pwa.account", str(user.pk)).hexdigest()[:20]


# What signing out clears on the phone: the browser's cache and the site's storage (the service
# worker, its caches of saved lessons, and the queue of actions waiting for the network), so the
# next person on a shared phone finds nothing of the last one's. Browsers honour it over HTTPS.
CLEAR_SITE_DATA = '"cache", "storage"'


def clears_site_data(view):
    """Wrap a sign-out view: its answer to the POST that signs out asks the browser to clear the
    site's cache and storage (`CLEAR_SITE_DATA`)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code < 400:
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response

    return wrapped


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the language of the address (/manifest.webmanifest: Thai)."""
    language = translation.get_language()
    data = {
        "id": APP_ID,
        "name": _("Overseas social development volunteers: training"),
        "short_name": _("Volunteer training"),
        "description": _(
            "Courses for overseas social development and human security volunteers, on your phone."
        ),
        "lang": language,
        "dir": "ltr",
        "start_url": reverse("learning_dashboard"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for where no page names an icon (a JSON credential, a
    calendar feed): a redirect to the site's icon instead of the whole 404 page. Temporary, but kept
    for a day, as the icon's address changes with its content."""
    response = HttpResponseRedirect(static("icons/favicon-32.png"))
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    return response


def offline_paths() -> dict[str, str]:
    """The offline page's address in each language."""
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths[code] = reverse("offline")
    return paths


@cache
def service_worker_config() -> dict:
    """What the service worker is told: its version and the addresses of the shell. Computed once
    per process: a deploy (new static files, new translations) starts new processes."""
    offline = offline_paths()
    shell = [static(path) for path in SHELL_STATIC]
    pages = []
    for code in sorted(offline):
        with translation.override(code):
            pages.append(render_to_string("pwa/offline.html", {"offline_language": code}))
    version = hashlib.sha256(json.dumps([shell, offline, pages]).encode()).hexdigest()[:16]
    return {
        "version": version,
        "shell": shell,
        "offline": offline,
        "default_language": settings.LANGUAGE_CODE,
        "cache_first_prefixes": [static(prefix) for prefix in SHELL_STATIC_PREFIXES],
        "sync": _in_each_language(lambda: reverse("learning_sync")),
        "lesson_done": sorted(_in_each_language(_lesson_done_pattern).values()),
        "never_cache": never_cached_prefixes(),
        "media_origins": media_origins(),
    }


def media_origins() -> list[str]:
    """The origins media is served from besides the site's own (the S3 bucket, a CDN)."""
    return sorted({"{0.scheme}://{0.netloc}".format(urlsplit(origin)) for origin in settings.MEDIA_ORIGINS})


def _in_each_language(address) -> dict[str, str]:
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = address()
    return values


def _lesson_done_pattern() -> str:
    """The address "mark as done" posts to, as a pattern whose group is the lesson's id."""
    marker = 987654321
    address = reverse("learning_lesson_done", args=[marker])
    before, after = address.split(str(marker))
    return "^" + re.escape(before) + r"(\d+)" + re.escape(after) + "$"


def never_cached_prefixes() -> list[str]:
    """Where the service worker never stores a response, whatever a saved course's list names:
    signing in and accounts, the admin, certificates and their checks, calendars, notifications,
    evaluations, organisation pages and the language switch. Only lesson pages, their media and the
    shell are kept; this holds even if a list were wrong."""
    prefixes = {
        "/admin/",
        "/certificates/",
        reverse("certificate_verify", args=["x"]).rsplit("x", 1)[0],
        reverse("live_calendar_feed", args=["x"]).rsplit("x", 1)[0],
        reverse("set_language"),
        reverse("service_worker"),
    }
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefixes.add(reverse("account_login").rsplit("/", 2)[0] + "/")
            prefixes.add(reverse("my_certificates"))
            prefixes.add(reverse("learning_sync"))
            prefixes.add(reverse("notification_list"))
            prefixes.add(reverse("organisation_home"))
            prefixes.add(reverse("evaluation_form", args=[1]).rsplit("1/", 1)[0])
    return sorted(prefixes)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script. Served from the site's root so its scope is the whole site, and
    never cached by the browser's HTTP cache, so a deploy's new version is found on the next visit."""
    script = render_to_string("pwa/sw.js", {"config": json.dumps(service_worker_config(), sort_keys=True)})
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page a phone shows for a page it cannot reach offline. The same for everyone: it is
    cached on the phone, so it shows nobody's name, messages or notifications."""
    html = render_to_string("pwa/offline.html", {"offline_language": translation.get_language()})
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=MANIFEST_MAX_AGE)
    return response
