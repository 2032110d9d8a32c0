"""Issue 24, the installable app, against the site as production serves it (its real
Content-Security-Policy, HTTPS, hashed static files), over the seeded demo, in a persistent browser
profile as a phone keeps one: the site installs with no installability error, its service worker
takes the page, and with the network gone a page the phone never saved shows the translated offline
page in its language, in the site's layout, instead of the browser's error. What the worker keeps
is the app shell and the offline pages only: nothing a signed-in volunteer read."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE
from tests.journeys.conftest import watch
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

VOLUNTEER = "volunteer@example.org"
BRAND = "rgb(11, 83, 148)"  # the header's colour: the stylesheet came from the worker's cache


@pytest.fixture
def phone_profile(playwright, browser_type_launch_args, site, tmp_path):
    """A phone's browser with a profile on disk (installability is judged for one), reading Thai."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        **browser_type_launch_args,  # with --ignore-certificate-errors (tests/conftest.py)
        base_url=site.url,
        ignore_https_errors=True,
        viewport=PHONE,
        locale="th-TH",
    )
    watched = watch(context)
    yield context, watched
    context.close()
    assert watched.problems == [], "\n".join(watched.problems)


def cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls.sort();
        }"""
    )


def test_the_site_installs_as_an_app_and_shows_its_offline_page_without_a_network(phone_profile):
    context, _watched = phone_profile
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/")
    # (Evaluated over the DevTools protocol: `wait_for_function` would be refused by the site's CSP.)
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }))"""
    )

    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")

    # A volunteer signs in and reads: none of it is kept by the worker.
    page.goto("/accounts/login/?next=/learn/")
    page.fill("input[name=username]", VOLUNTEER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r".*/learn/$"))
    page.goto("/courses/orientation/")
    page.goto("/en/learn/")
    kept = cached_urls(page)
    assert "/offline/" in kept and "/en/offline/" in kept
    assert [url for url in kept if not url.startswith(("/static/", "/offline/", "/en/offline/"))] == []

    context.set_offline(True)
    try:
        page.goto("/courses/orientation/module-1-role-and-ethics/")
        expect(page.locator("h1")).to_have_text("ขณะนี้ไม่ได้เชื่อมต่ออินเทอร์เน็ต")
        assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") == BRAND
        assert page.evaluate("document.documentElement.lang") == "th"
        if os.environ.get("JOURNEYS_SCREENSHOTS"):
            page.screenshot(path=os.environ["JOURNEYS_SCREENSHOTS"] + "/offline-th.png")
        page.goto("/en/courses/")
        expect(page.locator("h1")).to_have_text("You are offline")
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.set_offline(False)
    page.goto("/en/courses/")
    expect(page.locator("h1")).not_to_have_text("You are offline")
