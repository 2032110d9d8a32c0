"""The demo, seeded once per test run and copied into each test that asks for it.

`seed_demo` takes seconds; dozens of tests start from the demo. The `demo` fixture (tests/conftest.py)
seeds it once per run (one pytest-xdist worker seeds, the others adopt it), keeps a copy of every
table's rows, and gives each test that copy: every
table emptied and refilled in one transaction, so a test starts from exactly the rows
`manage.py seed_demo` commits (certificate PDFs stored, emails sent) whatever earlier tests left, and
its writes never reach the next test (the test transaction rolls back, or the live server's flush
empties the tables). Files the demo wrote (images, documents, certificate PDFs) stay in the media
folders or buckets for the whole session: no test deletes them.

On SQLite the rows are read and written as the raw values SQLite stores; on PostgreSQL each table
travels as COPY text. Both are exact, and a copy takes a fraction of a second.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from training.content_version import content_cache

# SQLite's full-text index over wagtailsearch_indexentry: its triggers fill it as the entries are
# written, so it is neither read nor written directly.
FILLED_BY_TRIGGERS = {"wagtailsearch_indexentry_fts"}


@dataclass(frozen=True)
class Snapshot:
    """Every table's rows: lists of raw values (SQLite) or COPY text (PostgreSQL)."""

    tables: dict[str, list[tuple] | bytes]


def table_names() -> list[str]:
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(name for name in names if name not in FILLED_BY_TRIGGERS)


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def take() -> Snapshot:
    """The committed rows of every table."""
    if connection.vendor == "sqlite":
        # A connection of its own without Django's type converters reads what SQLite stores.
        raw = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            # Table names come from Django's introspection, quoted.
            return Snapshot(
                {name: raw.execute(f"SELECT * FROM {quoted(name)}").fetchall() for name in table_names()}  # noqa: S608
            )
        finally:
            raw.close()
    connection.ensure_connection()
    tables = {}
    with connection.connection.cursor() as cursor:
        for name in table_names():
            with cursor.copy(f"COPY {quoted(name)} TO STDOUT") as copy:
                tables[name] = b"".join(bytes(block) for block in copy)
    return Snapshot(tables)


def restore(snapshot: Snapshot) -> None:
    """Make every table hold exactly the snapshot's rows, in one transaction (a savepoint inside a
    test's transaction). Foreign keys are checked when it ends, so the order of tables is free."""
    names = list(snapshot.tables)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), names):
                cursor.execute(statement)
        raw = connection.connection
        if connection.vendor == "sqlite":
            for name, rows in snapshot.tables.items():
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    raw.executemany(f"INSERT INTO {quoted(name)} VALUES ({marks})", rows)  # noqa: S608
        else:
            with raw.cursor() as cursor:
                for name, data in snapshot.tables.items():
                    if data:
                        with cursor.copy(f"COPY {quoted(name)} FROM STDIN") as copy:
                            copy.write(data)
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                # One round trip for every sequence, not one each.
                cursor.execute(";\n".join(connection.ops.sequence_reset_sql(no_style(), models)))
    forget_cached_rows()


def forget_cached_rows() -> None:
    """Drop what this process keeps from the rows it read before, as a new process would start:
    content types by id, values built per content version, and the cache (Wagtail's site root
    paths among them). The live server's threads share this process, so they start afresh too."""
    ContentType.objects.clear_cache()
    content_cache.clear()
    caches["default"].clear()


def seed_demo() -> None:
    call_command("seed_demo", stdout=StringIO())


def seeded(restore_basics: Callable[[], None], make: Callable[[], object] = seed_demo) -> Snapshot:
    """Seed the demo (or run `make`) over the basics a test starts from, keep a copy of every
    table's rows, and put back what was there."""
    before = take()
    try:
        restore_basics()
        make()
        return take()
    finally:
        restore(before)


@dataclass(frozen=True)
class Built:
    """What a test module's `make` wrote (every table's rows) and returned (pickled)."""

    snapshot: Snapshot
    value: bytes


def built(make: Callable[[], object], restore_basics: Callable[[], None]) -> Built:
    """Run `make` over the basics, committed; keep its rows and its value; put back what was there."""
    values: list[bytes] = []
    snapshot = seeded(
        restore_basics, lambda: values.append(pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL))
    )
    return Built(snapshot=snapshot, value=values[0])


def world_fixtures(make: Callable[[], object]):
    """A test module's fixtures `world_rows` (`make` run once per module, its rows kept: tests/conftest.py's
    `build_once`) and `world` (those rows copied into the test, and a fresh copy of what `make` returned).
    A test asks for `world` before fixtures that make rows of their own (`copy_of` replaces every table).
    """

    @pytest.fixture(scope="module")
    def world_rows(build_once):
        return build_once(make)

    @pytest.fixture
    def world(world_rows, copy_of):
        return copy_of(world_rows)

    return world_rows, world


def copied(made: Built) -> object:
    """`made`'s rows as this test's database (in its transaction), and a fresh copy of its value."""
    restore(made.snapshot)
    return pickle.loads(made.value)  # noqa: S301 (pickled by this process)


# One seeding per pass: under pytest-xdist the first worker to need the demo seeds it and leaves
# what it seeded for the other workers of the run (each worker has its own database, files and
# signing key; training/settings/test.py): the rows, the signing key the demo's credentials were
# signed with, and where the demo's files are. Another worker copies the files into its own
# storage, takes the key as its own, and starts each demo test from the same rows.

_RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")


@dataclass(frozen=True)
class Seeded:
    snapshot: Snapshot
    signing_key: str  # Multikey form, as in a key file
    locations: dict[str, str]  # storage alias: its folder, or its prefix in the bucket


def _storage_locations() -> dict[str, str]:
    return {alias: str(storages[alias].location) for alias in ("default", "private")}


def _shared_file() -> Path:
    return Path(tempfile.gettempdir()) / f"pytest-{_RUN_ID}-{connection.vendor}.demo"


def _adopt_files(locations: dict[str, str]) -> None:
    """Copy the seeding worker's demo files into this worker's storages (folders or prefixes)."""
    for alias, theirs in locations.items():
        storage = storages[alias]
        ours = str(storage.location)
        if theirs == ours:
            continue  # a storage the workers share (the public bucket)
        bucket = getattr(storage, "bucket", None)
        if bucket is None:
            if Path(theirs).is_dir():
                shutil.copytree(theirs, ours, dirs_exist_ok=True)
            continue
        for item in bucket.objects.filter(Prefix=theirs + "/"):
            bucket.copy({"Bucket": bucket.name, "Key": item.key}, ours + item.key[len(theirs) :])


def _adopt_signing_key(key_text: str) -> None:
    from certificates import credentials, keys

    if settings.CERTIFICATE_SIGNING_KEY:
        return  # every worker signs with the key the environment gives
    keys.write_key_file(
        Path(settings.CERTIFICATE_SIGNING_KEY_FILE), credentials.private_key_from_multibase(key_text)
    )
    keys.signing_key.cache_clear()


def seeded_once_per_run(restore_basics: Callable[[], None]) -> Snapshot:
    """The demo's rows: seeded here, or by another worker of this run and adopted (files and key)."""
    if not _RUN_ID:
        return seeded(restore_basics)
    with open(_shared_file().with_suffix(".demo-lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _shared_file().exists():
            shared: Seeded = pickle.loads(_shared_file().read_bytes())  # noqa: S301 (written by this run)
            _adopt_files(shared.locations)
            _adopt_signing_key(shared.signing_key)
            return shared.snapshot
        from certificates import credentials, keys

        snapshot = seeded(restore_basics)
        shared = Seeded(
            snapshot=snapshot,
            signing_key=credentials.private_key_to_multibase(keys.signing_key()),
            locations=_storage_locations(),
        )
        partial = _shared_file().with_suffix(".demo-partial")
        partial.write_bytes(pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL))
        partial.rename(_shared_file())
        return snapshot
