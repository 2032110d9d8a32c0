"""Shared fixtures: the Wagtail site after flushes, the demo, scale-out selection, and the test browser."""

import contextlib
import fcntl
import importlib
import os
import tempfile
import threading
import warnings
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests and the
# live server are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@receiver(setting_changed)
def _service_worker_config_follows_static_settings(*, setting, **kwargs):
    """The worker's configuration is computed once per process (a deploy starts new ones); a test
    that switches the static storage (the page-weight test's hashed names) gets it afresh."""
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT", "STATICFILES_FINDERS", "LANGUAGES"}:
        from training import pwa

        pwa.service_worker_config.cache_clear()


def scaleout_enabled() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    storage = settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"stack: database={engine} storage={storage} cache={cache}"


# Under pytest-xdist (`-n 2 --dist loadgroup`, as scripts/test-suite.sh runs the suite) two worker
# processes share the tests; each has its own test database, media folders, signing key and Redis
# database (training/settings/test.py). Two kinds of test need more than that:
# - the journeys share one served site (tests/journeys/conftest.py, about a minute to set up):
#   all of tests/journeys/ is one unit of work, run by one worker, handed out first;
# - tests marked `exclusive` stop the services every worker uses, or load the machine on purpose
#   (tests/training/test_faults.py, test_loadtest.py): while one runs, no other test runs.
SERVED_SITE_TESTS = "tests/journeys/"


def pytest_xdist_make_scheduler(config, log):
    """xdist's `loadgroup`, with tests/journeys/ as one group. (The `xdist_group` mark itself is
    lost on pytest 9, whose node ids xdist 3.8 cannot rename; a path needs no renaming.)"""
    from xdist.scheduler import LoadGroupScheduling

    class Scheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SERVED_SITE_TESTS):
                return SERVED_SITE_TESTS
            return super()._split_scope(nodeid)

    return Scheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Tests marked `scaleout` only make sense on PostgreSQL + S3 + Redis: deselect them elsewhere.
    Tests marked `embedded_only` check what no stack changes, once, or the embedded stack's own file
    storage: deselect them on the scale-out."""
    unwanted = "embedded_only" if scaleout_enabled() else "scaleout"
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker(unwanted) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


class MachineLock:
    """A readers-writer lock over every worker of this run: each test holds it shared, an
    `exclusive` test holds it alone. New tests queue behind a waiting exclusive test (the
    turnstile), so it is not starved. After an exclusive test ran, a worker opens new database and
    cache connections before its next test: the ones it held may have died with a stopped service."""

    def __init__(self, run_id: str):
        folder = Path(tempfile.gettempdir())
        self.turnstile = open(folder / f"pytest-{run_id}.turnstile", "a+")  # noqa: SIM115
        self.lock = open(folder / f"pytest-{run_id}.lock", "a+")  # noqa: SIM115
        self.exclusive_runs = open(folder / f"pytest-{run_id}.exclusive-runs", "a+")  # noqa: SIM115
        self.seen = self.count_exclusive_runs()

    def count_exclusive_runs(self) -> int:
        self.exclusive_runs.seek(0)
        return len(self.exclusive_runs.read())

    def reconnect_after_exclusive_runs(self) -> None:
        if self.count_exclusive_runs() != self.seen:
            self.seen = self.count_exclusive_runs()
            reconnect()

    @contextlib.contextmanager
    def held(self, *, exclusive: bool):
        if exclusive:
            fcntl.flock(self.turnstile, fcntl.LOCK_EX)
            fcntl.flock(self.lock, fcntl.LOCK_EX)
            try:
                self.reconnect_after_exclusive_runs()
                yield
            finally:
                self.exclusive_runs.write("x")
                self.exclusive_runs.flush()
                self.seen = self.count_exclusive_runs()
                fcntl.flock(self.lock, fcntl.LOCK_UN)
                fcntl.flock(self.turnstile, fcntl.LOCK_UN)
            return
        fcntl.flock(self.turnstile, fcntl.LOCK_SH)
        fcntl.flock(self.lock, fcntl.LOCK_SH)
        fcntl.flock(self.turnstile, fcntl.LOCK_UN)
        try:
            self.reconnect_after_exclusive_runs()
            yield
        finally:
            fcntl.flock(self.lock, fcntl.LOCK_UN)


def reconnect() -> None:
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    for alias in settings.CACHES:
        with contextlib.suppress(AttributeError):
            del caches[alias]  # the next use builds a new client, with new connections


_machine_lock: list[MachineLock] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run_id:  # one process runs the tests one after the other
        yield
        return
    if not _machine_lock:
        _machine_lock.append(MachineLock(run_id))
    with _machine_lock[0].held(exclusive=item.get_closest_marker("exclusive") is not None):
        yield


# The rows the migrations wrote (tree root, home page, site, catalog, role groups and their
# permissions) and the English locale, as tests/demo_copy.py keeps them: taken once per worker when
# its database is ready.
_basics: list = []


def build_wagtail_basics() -> None:
    """Run the data migrations' functions again (each finds what exists and adds what is missing)."""
    from wagtail.models import Locale

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
    importlib.import_module(
        "courses.migrations.0010_end_of_course_evaluation"
    ).create_default_form_and_rights(apps)
    importlib.import_module("courses.migrations.0011_course_runs").grant_run_permissions(apps)
    importlib.import_module("courses.migrations.0012_live_sessions").grant_session_permissions(apps)
    importlib.import_module("courses.migrations.0014_manage_all_courseruns").grant_manage_all_courseruns(apps)
    importlib.import_module("volunteers.migrations.0009_certification_applications").grant_staff_permissions(
        apps
    )
    # Last: coordinators start from everything staff were given above.
    importlib.import_module("volunteers.migrations.0010_country_coordinators").create_coordinators_group(apps)
    importlib.import_module(
        "certificates.migrations.0009_certificate_artwork_collection"
    ).keep_certificate_artwork_from_trainers(apps)
    # After the catalog's rights: trainers lose publishing there, and Wagtail's default workflow goes.
    importlib.import_module("courses.migrations.0015_course_review_workflow").create_course_review_workflow(
        apps
    )
    importlib.import_module("courses.migrations.0016_question_bank").grant_bank_permissions(apps)


def has_wagtail_basics() -> bool:
    from wagtail.models import Locale, Page

    return Page.objects.filter(depth=2).exists() and Locale.objects.filter(language_code="en").exists()


def restore_wagtail_basics() -> None:
    """Put back the rows the migrations wrote if a flush removed them.

    Transactional tests flush every table when they end, which removes rows that data migrations
    made; the next test would otherwise run without a site. The rows come back as this worker's
    session began (the same ids), copied in a fraction of a second rather than rebuilt by running
    the data migrations' functions again (about a second on SQLite, more on PostgreSQL).
    """
    from tests import demo_copy

    if not has_wagtail_basics():
        demo_copy.restore(_basics[0])


def _flushes(item) -> bool:
    """Whether this test's database fixture empties every table when the test ends."""
    marker = item.get_closest_marker("django_db")
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))) or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, the basics come back committed, once: restored inside
    each next test's own transaction instead, they were rolled back and rebuilt for every test."""
    yield
    if _basics and nextitem is not None and _flushes(item):  # after the last, the database is gone
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_wagtail_basics()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Thai), whatever an earlier test in this
    process activated: a language activated outside a request stays active in the thread."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


class RequestThreads:
    """The live server's request threads (one per browser connection), counted so that a test's end
    waits for them before its tables are flushed. A request still running when the flush began
    (a browser's last fetch, served after the page closed) deadlocked with the flush's TRUNCATE on
    PostgreSQL, and the test failed at teardown; each thread closes its database connections as it
    ends (Django's ThreadedWSGIServer)."""

    def __init__(self, server):
        self.running = 0
        self.changed = threading.Condition()
        start, serve = server.process_request, server.process_request_thread

        def process_request(request, client_address):
            with self.changed:
                self.running += 1
            try:
                start(request, client_address)
            except BaseException:
                self.ended()
                raise

        def process_request_thread(request, client_address):
            try:
                serve(request, client_address)
            finally:
                self.ended()

        server.process_request, server.process_request_thread = process_request, process_request_thread

    def ended(self) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()

    def wait_until_idle(self, seconds: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.running == 0, timeout=seconds)


def request_threads(live_server) -> RequestThreads:
    """The live server's RequestThreads, counted from its first test on (it lives for the session)."""
    if not hasattr(live_server, "request_threads"):
        live_server.request_threads = RequestThreads(live_server.thread.httpd)
    return live_server.request_threads


@pytest.fixture(autouse=True)
def _wagtail_basics(request):
    names = set(request.fixturenames)
    threads = None
    if names & {"transactional_db", "live_server"}:
        request.getfixturevalue("transactional_db")  # flushes when the test ends, after this fixture
        if "live_server" in names:
            threads = request_threads(request.getfixturevalue("live_server"))
    elif names & DB_FIXTURES:
        request.getfixturevalue("db")
    elif not request.node.get_closest_marker("django_db"):
        yield  # a test without a database
        return
    restore_wagtail_basics()
    # What this process kept for a content version another test also started from (a rollback
    # brings the same token back) was built from that test's rows and settings, not this one's.
    from training.content_version import content_cache

    content_cache.clear()
    yield
    # The browser's pages and contexts are closed by now (they were set up after this fixture).
    if threads is not None and not threads.wait_until_idle(seconds=15):
        warnings.warn(f"{threads.running} live-server requests still running at the flush", stacklevel=1)


def _search_index_updates(on: bool) -> None:
    """Connect (or disconnect) the handlers that index what is saved, as modelsearch registers them."""
    from django.db.models.signals import post_delete, post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_delete_signal_handler, post_save_signal_handler

    for model in index.get_indexed_models():
        if getattr(model, "search_auto_update", True):
            for signal, handler in (
                (post_save, post_save_signal_handler),
                (post_delete, post_delete_signal_handler),
            ):
                (signal.connect if on else signal.disconnect)(handler, sender=model)


@contextlib.contextmanager
def search_index_updates():
    """Saves update the search index while inside, as they always do outside the tests."""
    _search_index_updates(True)
    try:
        yield
    finally:
        _search_index_updates(False)


@pytest.fixture(scope="session", autouse=True)
def _no_search_index_updates():
    """Pages, images and documents that tests make are not added to the search index, which was
    over a third of what saving a page cost (tests/factories.py makes thousands). The demo is indexed
    as `seed_demo` indexes it, the served journey sites index everything as production does, and the
    tests of searching what they made ask for `search_index`."""
    _search_index_updates(False)
    yield
    _search_index_updates(True)


@pytest.fixture
def search_index():
    """What this test saves is added to the search index, as outside the tests."""
    with search_index_updates():
        yield


# The run migrates one database and copies it for the others (tests/template_db.py): the first
# worker here to set up its test database builds the template while the other waits its turn.
_template_turn: list = []  # the held lock, while this worker builds the template
_from_template: list[bool] = []


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """pytest-django's (the _gw0 suffix), then this worker's test database copied from the run's
    template if another worker built it already; otherwise this worker will build it."""
    from django.db import connection

    from tests import template_db

    turn = template_db.turn()
    turn.__enter__()
    if template_db.location() is None:
        _template_turn.append(turn)  # released once this worker's database is migrated
        return
    try:
        template_db.copy_to(connection.creation._get_test_db_name())
        _from_template.append(True)
    finally:
        turn.__exit__(None, None, None)


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_keepdb, django_db_modify_db_settings):
    """A database copied from the template is used as it is (`migrate` then finds nothing to do)."""
    return django_db_keepdb or bool(_from_template)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from tests import demo_copy, template_db

    built = bool(_template_turn)
    with django_db_blocker.unblock():
        if built:
            try:
                template_db.build_from(connection.settings_dict["NAME"])
            finally:
                _template_turn.pop().__exit__(None, None, None)
        if not has_wagtail_basics():
            build_wagtail_basics()
        _basics.append(demo_copy.take())
    yield
    if built:
        template_db.drop()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The rows `seed_demo` commits, seeded once per pass by one worker (tests/demo_copy.py)."""
    from tests import demo_copy

    with django_db_blocker.unblock(), search_index_updates():
        return demo_copy.seeded_once_per_run(restore_wagtail_basics)


@pytest.fixture
def demo(demo_snapshot, db):
    """The demo as `manage.py seed_demo` leaves it, copied into this test's database: in the test's
    transaction, or committed for the live server; this test's writes never reach the next one."""
    from tests import demo_copy

    demo_copy.restore(demo_snapshot)
    yield
    demo_copy.forget_cached_rows()


@pytest.fixture(scope="session")
def build_once(django_db_setup, django_db_blocker):
    """For a module-scoped fixture: `build_once(make)` runs `make` (which writes rows and returns
    what the tests need of them) once, committed before any test's transaction, keeps every table's
    rows and `make`'s value, and puts the database back as it was (tests/demo_copy.py). Building a
    world of courses, volunteers and attempts took one to two seconds per test; copying it in takes
    a fraction of that."""
    from tests import demo_copy

    def build(make):
        with django_db_blocker.unblock():
            return demo_copy.built(make, restore_wagtail_basics)

    return build


@pytest.fixture
def copy_of(db):
    """`copy_of(made)`: the rows a `build_once` kept become this test's database, and it returns a
    fresh copy of what `make` returned. Every table is replaced, so it is the first thing a test
    writes: a fixture that makes rows for the same test must ask for the copied world first."""
    from tests import demo_copy
    from volunteers.models import User

    def copy(made):
        if User.objects.exists():
            raise RuntimeError("rows were made before the world was copied in; ask for the world first")
        return demo_copy.copied(made)

    yield copy
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
            # The served site's throwaway certificate (tests/journeys/served.py): contexts ignore it
            # for pages, but Chromium refuses a service worker's script from it without this.
            "--ignore-certificate-errors",
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
