"""Upgrades keep what is stored (issue 25, item 6): a database migrated and seeded by the previous
release (its tag, or the commit CHANGELOG.md gives for it) is migrated by this code, and every row
is still there and every certificate still verifies."""

import json
import os
import re
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.certificates.test_backup_restore import VERIFY_EVERY_CERTIFICATE, database_url, drop_database
from tests.manage_process import manage

pytestmark = pytest.mark.scaleout
ROOT = Path(__file__).resolve().parents[2]
# Rows a migration may add to (its own record, and what the data migrations write).
GROWING = {"django_migrations", "django_content_type", "auth_permission", "auth_group_permissions"}


def previous_release() -> str:
    """The newest release's commit: its tag, else the commit CHANGELOG.md records for it."""
    tags = subprocess.run(
        ["git", "tag", "--list", "v*", "--sort=-v:refname"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if tags:
        return tags[0]
    return re.search(r"^## v[\d.]+ .*\(commit ([0-9a-f]{7,40})\)", (ROOT / "CHANGELOG.md").read_text(), re.M)[
        1
    ]


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        count = sql.SQL("SELECT count(*) FROM {}")
        return {
            table: connection.execute(count.format(sql.Identifier(table))).fetchone()[0] for table in tables
        }


def test_a_database_of_the_previous_release_migrates_forward_without_loss(tmp_path):
    release = previous_release()
    old = tmp_path / "previous"
    old.mkdir()
    archive = subprocess.run(["git", "archive", release], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    scratch = f"upgrade_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", database_url("postgres"), "-qc", f"CREATE DATABASE {scratch}"], check=True)
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PYTEST_XDIST"))},
        "DJANGO_SETTINGS_MODULE": "training.settings.dev",
        "DATABASE_URL": database_url(scratch),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "ERASURE_LOG_ROOT": str(tmp_path / "erasure-log"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(tmp_path / "keys" / "signing.key"),
        "CACHE_KEY_PREFIX": scratch,
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }

    try:
        manage("migrate", "--no-input", "-v0", env=env, cwd=old, timeout=600)
        manage("seed_demo", env=env, cwd=old, timeout=600)
        before = row_counts(database_url(scratch))
        manage("migrate", "--no-input", "-v0", env=env)
        after = row_counts(database_url(scratch))
        verified = json.loads(manage("shell", "-c", VERIFY_EVERY_CERTIFICATE, env=env).split("RESULT ", 1)[1])
    finally:
        drop_database(database_url("postgres"), scratch)

    assert before["volunteers_user"] > 0 and before["certificates_certificate"] > 0  # the demo was there
    lost = {
        table: (count, after.get(table))
        for table, count in before.items()
        if after.get(table) != count and not (table in GROWING and after.get(table, 0) >= count)
    }
    assert lost == {}, f"{release} → this code lost rows: {lost}"
    assert verified and all(
        outcome == "VALID" or "revoked" in outcome.lower() for outcome in verified.values()
    )
