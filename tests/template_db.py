"""One migrated database per test run, copied for every other database the run needs.

Migrating from nothing takes about 19 s of CPU (some 250 migrations, most of them Wagtail's), and a
pass needed it three times: each pytest-xdist worker's test database, and the journeys' served
site. Now the first worker to set up its database migrates it as usual and copies it as the run's
template; the other worker, and the served site, start from a copy (a file copy on SQLite,
`CREATE DATABASE ... TEMPLATE` on PostgreSQL) and then run `migrate`, which finds nothing to do.
The schema and the rows the migrations wrote are exactly what migrating gives.

The workers take turns through a file lock named after the run, so the template is built once and
never read half-written.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import uuid
from pathlib import Path

from django.db import connections

_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def _folder() -> Path:
    return Path(tempfile.gettempdir())


def _vendor() -> str:
    # As the settings decide it (training/settings/base.py), without needing them configured.
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def _marker() -> Path:
    """Written once the template is complete; holds where it is."""
    return _folder() / f"pytest-{_RUN_ID}-{_vendor()}.template"


@contextlib.contextmanager
def turn():
    """Hold the run's template lock (one worker at a time builds or copies the template)."""
    with open(_folder() / f"pytest-{_RUN_ID}-{_vendor()}.template-lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def location() -> str | None:
    """The template's SQLite path or PostgreSQL database name, once it is built."""
    marker = _marker()
    return marker.read_text() if marker.exists() else None


def _admin_connection():
    """A connection to the PostgreSQL server outside any test database (to create and drop them)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    return psycopg.connect(url, autocommit=True)


def _sqlite_copy(source: str, target: str) -> None:
    """A consistent copy through SQLite's backup API (safe with the write-ahead log)."""
    Path(target).unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def build_from(test_database: str) -> None:
    """Keep a copy of this worker's freshly migrated test database as the run's template."""
    connections.close_all()  # PostgreSQL copies only a database nobody is connected to
    if _vendor() == "sqlite":
        template = str(_folder() / f"pytest-{_RUN_ID}-template.sqlite3")
        _sqlite_copy(test_database, template)
    else:
        template = f"test_template_{_RUN_ID[:12]}"
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{template}"')
            admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{test_database}"')
    _marker().write_text(template)


def copy_to(target: str) -> None:
    """Make `target` (a SQLite path or a PostgreSQL database name) a copy of the template."""
    template = location()
    if template is None:
        raise RuntimeError("the run's template database is not built yet")
    if _vendor() == "sqlite":
        _sqlite_copy(template, target)
        return
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')


def drop() -> None:
    """Forget the template (the worker that built it, at the end of its session)."""
    template = location()
    _marker().unlink(missing_ok=True)
    (_folder() / f"pytest-{_RUN_ID}-{_vendor()}.template-lock").unlink(missing_ok=True)
    if template is None:
        return
    if _vendor() == "sqlite":
        Path(template).unlink(missing_ok=True)
        return
    with contextlib.suppress(Exception), _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
