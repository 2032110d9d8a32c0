"""Shared fixtures: the Wagtail site after flushes, the demo, scale-out selection, and the test browser."""

import importlib
import os

import pytest
from django.apps import apps
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests and the
# live server are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def scaleout_enabled() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    storage = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"stack: database={engine} storage={storage} cache={cache}"


def pytest_collection_modifyitems(config, items):
    """Tests marked `scaleout` only make sense on PostgreSQL + S3 + Redis: deselect them elsewhere."""
    if scaleout_enabled():
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("scaleout") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def restore_wagtail_basics() -> None:
    """Rebuild what migrations created (tree root, home page, site, locales, role groups).

    Transactional tests flush every table when they end, which removes rows that data migrations
    made; the next test would otherwise run without a site.
    """
    from wagtail.models import Locale, Page

    if Page.objects.filter(depth=2).exists() and Locale.objects.filter(language_code="en").exists():
        return
    importlib.import_module("training.migrations.0002_create_homepage").create_homepage(apps)
    importlib.import_module("volunteers.migrations.0002_create_role_groups").create_role_groups(apps)
    importlib.import_module("volunteers.migrations.0004_staff_permissions").grant_staff_permissions(apps)
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    importlib.import_module("courses.migrations.0002_catalog_and_roles").create_catalog_and_roles(apps)
    importlib.import_module("certificates.migrations.0003_staff_permissions").grant_staff_permissions(apps)
    importlib.import_module(
        "courses.migrations.0004_staff_enrolment_permissions"
    ).grant_staff_learning_permissions(apps)
    importlib.import_module("courses.migrations.0006_translation_permissions").grant_translation_permissions(
        apps
    )


@pytest.fixture(autouse=True)
def _wagtail_basics(request):
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db")
    elif names & DB_FIXTURES:
        request.getfixturevalue("db")
    elif not request.node.get_closest_marker("django_db"):
        return
    restore_wagtail_basics()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows `seed_demo` commits, seeded once per session (tests/demo_copy.py)."""
    from tests import demo_copy

    with django_db_blocker.unblock():
        return demo_copy.seeded(restore_wagtail_basics)


@pytest.fixture
def demo(demo_snapshot, db):
    """The demo as `manage.py seed_demo` leaves it, copied into this test's database: in the test's
    transaction, or committed for the live server; this test's writes never reach the next one."""
    from tests import demo_copy

    demo_copy.restore(demo_snapshot)
    yield
    demo_copy.forget_cached_rows()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script; the page's Content-Security-Policy would block it.
    return {**browser_context_args, "bypass_csp": True}


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def axe_violations(page, *, impacts=("serious", "critical")) -> list[str]:
    """The serious and critical WCAG 2.x A/AA violations axe-core finds on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
        },
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in impacts
    ]
