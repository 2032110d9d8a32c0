"""Light pages: the first lesson of a course transfers at most 150 KB on a first visit and the next
lesson at most 30 KB, served the way production serves them.

What is measured: every byte the browser receives for the page (headers and, where the server
compressed it, the compressed body) of the HTML document, the stylesheets, scripts and fonts,
read from the browser's Resource Timing entries (`transferSize`, which is 0 for a file taken from
the browser cache). The lesson's own images and videos (files under MEDIA_URL) are left out, as
issue 9 asks. Static files are served as in production: whitenoise in front of the app, files
collected by its CompressedManifestStaticFilesStorage (hashed names, gzip and brotli copies); the
HTML comes from Django as production renders it, uncompressed (a proxy in front that compresses
HTML would only make it smaller).
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread

from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 150 * 1024
NEXT_PAGE_BUDGET = 30 * 1024
YEAR = 365 * 24 * 3600
APP_BUDGET = 40 * 1024
APP_FILES = ("/sw.js", ".webmanifest", ".png")
# Resolves once the worker controls the page and its precache is stored (the offline page is its last).
READ_WORKER_READY = """async () => {
    if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    await navigator.serviceWorker.ready;
    return (await caches.keys()).length;
}"""


def response_bytes(response) -> int:
    sizes = response.request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


READ_TRANSFERS = """async () => {
    await document.fonts.ready;
    const navigation = performance.getEntriesByType("navigation")[0];
    const entries = [navigation, ...performance.getEntriesByType("resource")];
    return entries.map(entry => ({
        url: entry.name,
        kind: entry.initiatorType,
        transferred: entry.transferSize,
        encoded: entry.encodedBodySize,
        decoded: entry.decodedBodySize,
    }));
}"""


@pytest.fixture
def production_static_server(transactional_db, tmp_path):
    """A live server with whitenoise and the manifest storage, over freshly collected files."""
    static_root = tmp_path / "static"
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(1, settings.PRODUCTION_STATIC_MIDDLEWARE)
    storages = {**settings.STORAGES, "staticfiles": settings.PRODUCTION_STATICFILES_STORAGE}
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES=storages,
        MIDDLEWARE=middleware,
        # The public pages use only the project's own static files; leaving out the apps' (the
        # admin's) keeps the collection quick.
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        server = LiveServerThread("localhost", static_handler=lambda app: app)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
        server.terminate()


def signed_in_cookie(email: str, base_url: str) -> dict:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


def report(title: str, entries: list[dict]) -> int:
    total = sum(entry["transferred"] for entry in entries)
    print(f"\n{title}: {total} bytes ({total / 1024:.1f} KB) transferred")
    for entry in entries:
        print(
            f"  {entry['transferred']:>7} transferred {entry['encoded']:>7} body {entry['decoded']:>7} "
            f"unpacked  {entry['kind']:<10} {entry['url'].split('/', 3)[-1]}"
        )
    return total


def test_a_lesson_stays_under_150_kb_on_first_load_and_30_kb_for_the_next(
    demo, production_static_server, browser
):
    base = production_static_server
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    first, second = LessonPage.objects.descendant_of(course).live().order_by("path")[:2]

    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([signed_in_cookie("volunteer@example.org", base)])
    page = context.new_page()
    app_responses = []  # the installable app's: its worker's script and what the worker fetches
    context.on(
        "response",
        lambda response: (
            app_responses.append(response)
            if response.request.service_worker is not None or response.url.endswith(APP_FILES)
            else None
        ),
    )
    static_responses = []
    page.on(
        "response", lambda response: static_responses.append(response) if "/static/" in response.url else None
    )

    page.goto(base + first.url)
    assert page.locator("#lesson-body").is_visible()  # the enrolled reader gets the whole lesson
    first_load = [entry for entry in page.evaluate(READ_TRANSFERS) if settings.MEDIA_URL not in entry["url"]]
    kinds = {entry["kind"] for entry in first_load}
    assert {"navigation", "link", "css"} & kinds, kinds
    assert any(entry["url"].endswith(".woff2") for entry in first_load), "the Thai font was not loaded"
    first_total = report(f"First visit to {first.url}", first_load)
    assert first_total <= FIRST_VISIT_BUDGET

    # Static files have hashed names, come compressed where that helps, and are cached for a year.
    assert static_responses
    for response in static_responses:
        headers = response.all_headers()
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", response.url), response.url
        assert "immutable" in headers["cache-control"], response.url
        assert int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1)) >= YEAR
        if response.url.endswith((".css", ".js")):
            assert headers.get("content-encoding") in ("br", "gzip"), response.url

    # The app's service worker takes the page and precaches the shell: at most 40 KB more, counted
    # as the bytes the server sent (the files the page loaded are only checked, "not modified").
    page.evaluate(READ_WORKER_READY)
    app_total = sum(response_bytes(response) for response in app_responses)
    print(f"App (service worker and its precache): {app_total} bytes")
    for response in app_responses:
        print(f"  {response_bytes(response):>7} {response.status} {response.url.split('/', 3)[-1]}")
    assert any(response.url.endswith("/sw.js") for response in app_responses)
    assert app_total <= APP_BUDGET

    page.goto(base + second.url)
    next_load = [entry for entry in page.evaluate(READ_TRANSFERS) if settings.MEDIA_URL not in entry["url"]]
    next_total = report(f"Next lesson {second.url}", next_load)
    assert next_total <= NEXT_PAGE_BUDGET
    # Nothing static travels again.
    assert all(entry["transferred"] == 0 for entry in next_load if "/static/" in entry["url"])
    context.close()
