"""Fixtures of the journey suite: one served site per run, and browser contexts that meet it as a
phone does, with the production Content-Security-Policy in force (no `bypass_csp`)."""

import os
from pathlib import Path

import pytest

from tests.conftest import PHONE
from tests.journeys.served import ServedSite, served_site


def pytest_collection_modifyitems(items):
    """A journey's served site starts from a copy of the run's migrated test database, which
    pytest-django creates only when a collected test asks for a database: journeys ask, so a run
    of journeys alone works as well as a run among the rest."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def site(tmp_path_factory, django_db_setup):  # the run's migrated template exists once this is set up
    if os.environ.get("JOURNEYS_SERVED"):
        # A site already served by `python -m tests.journeys.served FOLDER` (quicker to iterate on).
        folder = Path(os.environ["JOURNEYS_SERVED"])
        served = ServedSite(url=(folder / "url").read_text(), folder=folder, log=folder / "gunicorn.log")
        yield served
        served.close()
        return
    with served_site(tmp_path_factory.mktemp("served")) as served:
        yield served
        errors = served.server_errors()
        assert errors == [], f"the server logged errors; see {served.log}"


class Watched:
    """What a browser context met that a person would call broken: 5xx answers, refused CSRF
    checks, scripts or styles the Content-Security-Policy blocked, and JavaScript errors."""

    def __init__(self):
        self.problems: list[str] = []
        self.failed_requests: list[str] = []

    def on_response(self, response):
        if response.status >= 500 or (response.status == 403 and response.request.method == "POST"):
            self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def on_request_failed(self, request):
        # The address a console "Failed to load resource" line leaves out.
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console: {message.text} (failed requests: {self.failed_requests})")

    def on_page_error(self, error):
        self.problems.append(f"script error: {error}")


def page_address(error) -> str:
    return error.page.url if error.page else "an unknown page"


def open_context(browser, site, *, locale="th-TH", viewport=PHONE):
    context = browser.new_context(
        base_url=site.url,
        ignore_https_errors=True,  # the throwaway certificate; everything else is as in production
        viewport=viewport,
        locale=locale,
        accept_downloads=True,
    )
    return context, watch(context)


def watch(context) -> Watched:
    """Follow what `context` meets that a person would call broken."""
    watched = Watched()
    context.on("response", watched.on_response)
    context.on("console", watched.on_console)
    context.on("requestfailed", watched.on_request_failed)
    context.on("weberror", lambda error: watched.on_page_error(f"{error.error} (on {page_address(error)})"))
    return watched


@pytest.fixture
def phone(browser, site):
    """A new phone-sized browser (no cookies) reading Thai; fails the test on anything broken it met."""
    context, watched = open_context(browser, site)
    yield context
    context.close()
    assert watched.problems == [], "\n".join(watched.problems)
