"""The backup drill of docs/operations.md: pg_dump the database, pg_restore it into a new one, and
every certificate still verifies there (valid ones as valid, the revoked one as revoked), checked
by the relying party's own command against the restored database's public endpoints."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from tests.factories import make_course_tree, make_user, make_volunteer

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]

# Runs in a new process whose DATABASE_URL names the restored database.
VERIFY_EVERY_CERTIFICATE = """
import json, tempfile
from pathlib import Path
from django.core.management import CommandError, call_command
from django.test import Client
from certificates.models import Certificate

client = Client(HTTP_HOST="localhost")
folder = Path(tempfile.mkdtemp())
(folder / "issuer.json").write_bytes(client.get("/certificates/issuer.json").content)
(folder / "status.json").write_bytes(client.get("/certificates/status/revocation.json").content)
outcome = {}
for certificate in Certificate.objects.order_by("serial"):
    credential = folder / f"{certificate.serial}.json"
    credential.write_bytes(client.get(f"/verify/{certificate.token}.json").content)
    try:
        call_command("certificate_verify", str(credential), issuer=str(folder / "issuer.json"),
                     status=str(folder / "status.json"), stdout=open("/dev/null", "w"))
        outcome[certificate.serial] = "VALID"
    except CommandError as error:
        outcome[certificate.serial] = str(error)
print("RESULT " + json.dumps(outcome))
"""


def database_url(name: str) -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name


def test_a_restored_dump_verifies_every_certificate(tmp_path):
    course, _module, _lesson = make_course_tree(title="Backup drill")
    issued = [certificate_issue(volunteer=make_volunteer().user, course=course) for _ in range(3)]
    certificate_revoke(certificate=issued[2], actor=make_user(group="Staff"), reason="Issued in error")
    dump = tmp_path / "training.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            database_url(connection.settings_dict["NAME"]),
        ],
        check=True,
    )
    restored = f"restored_{uuid.uuid4().hex[:8]}"
    maintenance = database_url("postgres")
    subprocess.run(["psql", maintenance, "-qc", f"CREATE DATABASE {restored}"], check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={database_url(restored)}", str(dump)], check=True
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", VERIFY_EVERY_CERTIFICATE],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(restored),
                "DJANGO_SETTINGS_MODULE": "training.settings.test",
                "CACHE_KEY_PREFIX": restored,
            },
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        drop_database(maintenance, restored)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.split("RESULT ", 1)[1])
    serials = {c.serial: c.status for c in Certificate.objects.all()}
    assert set(outcome) == set(serials)
    for serial, status in serials.items():
        if status == Certificate.Status.VALID:
            assert outcome[serial] == "VALID", outcome
        else:
            assert outcome[serial].startswith("NOT VALID") and "revoked" in outcome[serial].lower(), outcome


def drop_database(maintenance: str, name: str) -> None:
    """Drop the scratch database. An autovacuum worker (the server's own role, which `app` may not
    terminate) can be visiting the freshly restored database for a moment: then try again."""
    for _attempt in range(20):
        dropped = subprocess.run(
            ["psql", maintenance, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True,
            text=True,
        )
        if dropped.returncode == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"could not drop {name}: {dropped.stderr}")
