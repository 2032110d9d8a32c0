"""Backups and the erasure log (issue 25, item 3): an encrypted backup of the database, media and
signing key; a restore into an empty stack where every certificate verifies; and a volunteer erased
after the backup stays erased.

The attacks: the backup read by whoever takes the server (it is encrypted to a key the server does
not hold); personal data kept in the erasure log; a restore over a live database; an erasure that
half-happens when its log cannot be written.
"""

import copy
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from tests.certificates.test_backup_restore import VERIFY_EVERY_CERTIFICATE, database_url, drop_database
from tests.factories import make_course_tree, make_user, make_volunteer
from tests.manage_process import manage, manage_run
from training.backups import backup_create, backups_list, backups_prune
from volunteers.erasure_log import erasure_entries
from volunteers.models import User
from volunteers.services import volunteer_erase

ROOT = Path(__file__).resolve().parents[2]

# Runs in the restored site: who is erased, and which public file is there.
READ_RESTORED = """
import json
from django.core.files.storage import storages
from volunteers.models import User
people = {user.pk: user.email for user in User.objects.all()}
print("PEOPLE " + json.dumps(people))
print("FILE " + json.dumps([storages[alias].exists(f"drill/{name}") for alias, name in
                           (("default", "handbook.txt"), ("private", "record.pdf"))]))
"""


@pytest.fixture(autouse=True)
def own_places(tmp_path, settings):
    """An erasure log and a backups folder of this test's own."""
    settings.ERASURE_LOG_ROOT = tmp_path / "erasure-log"
    settings.BACKUP_ROOT = tmp_path / "backups"


@pytest.fixture
def age_identity(tmp_path, settings):
    identity = tmp_path / "identity.txt"
    made = subprocess.run(["age-keygen", "-o", str(identity)], capture_output=True, text=True, check=True)
    settings.BACKUP_AGE_RECIPIENTS = [made.stderr.split("Public key: ")[1].strip()]
    return identity


@pytest.mark.django_db
def test_an_erasure_is_logged_with_the_id_and_the_time_only():
    person = make_volunteer(email="erased.logged@example.org", given_name_th="ลบแล้ว", phone="+4790000001")
    volunteer_erase(user=person.user, actor=make_user(group="Staff"))
    [entry] = [entry for entry in erasure_entries() if entry["user_id"] == person.user.pk]
    assert set(entry) == {"user_id", "joined", "erased_at", "name"}
    with storages["erasure_log"].open(f"erasures/{entry['name']}") as file:
        text = file.read().decode()
    assert "erased.logged" not in text and "ลบแล้ว" not in text and "+4790000001" not in text


@pytest.mark.django_db
def test_an_erasure_whose_log_cannot_be_written_does_not_happen(monkeypatch):
    person = make_volunteer(email="kept.whole@example.org")

    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(type(storages["erasure_log"]), "save", full_disk)
    with pytest.raises(OSError):
        volunteer_erase(user=person.user, actor=make_user(group="Staff"))
    person.user.refresh_from_db()
    assert person.user.email == "kept.whole@example.org" and person.user.is_active


@pytest.mark.django_db
def test_a_backup_needs_the_keys_it_is_encrypted_to(settings):
    settings.BACKUP_AGE_RECIPIENTS = []
    with pytest.raises(CommandError, match="BACKUP_AGE_RECIPIENTS"):
        call_command("backup")


@pytest.mark.django_db
def test_backups_older_than_thirty_days_are_deleted():
    import datetime

    from django.utils import timezone

    storage = storages["backups"]
    now = timezone.now()
    for days in (0, 29, 31, 90):
        stamp = (now - datetime.timedelta(days=days)).astimezone(datetime.UTC)
        storage.save(f"training-{stamp:%Y%m%dT%H%M%SZ}.tar.age", ContentFile(b"x"))
    storage.save("notes.txt", ContentFile(b"not a backup"))
    deleted = backups_prune(now)
    assert len(deleted) == 2 and len(backups_list()) == 2 and storage.exists("notes.txt")


@pytest.mark.django_db(transaction=True)
def test_a_restore_verifies_every_certificate_and_keeps_the_erased_erased(tmp_path, settings, age_identity):
    """The restore drill: back up, erase a volunteer after the backup, restore into an empty
    database and empty storages, and the restored site verifies every certificate as the relying
    party would while the person erased after the backup is erased there too."""
    drill = f"drill-{uuid.uuid4().hex[:8]}"
    places = copy.deepcopy(settings.STORAGES)
    for alias in ("default", "private"):  # only this test's files, also in a shared bucket
        options = places[alias].setdefault("OPTIONS", {})
        if places[alias]["BACKEND"].endswith("S3Storage"):
            options["location"] = f"{options.get('location', '')}/{drill}".strip("/")
        else:
            options["location"] = str(tmp_path / f"{alias}-media")
    settings.STORAGES = places
    storages["default"].save("drill/handbook.txt", ContentFile("คู่มืออาสาสมัคร".encode()))
    storages["private"].save("drill/record.pdf", ContentFile(b"%PDF-1.7 a private file"))
    course, _module, _lesson = make_course_tree(title="Restore drill")
    kept, erased_later = (
        make_volunteer(email="kept.drill@example.org"),
        make_volunteer(email="gone.drill@example.org"),
    )
    issued = [certificate_issue(volunteer=person.user, course=course) for person in (kept, erased_later)]
    issued.append(certificate_issue(volunteer=make_volunteer().user, course=course))
    certificate_revoke(certificate=issued[2], actor=make_user(group="Staff"), reason="Issued in error")

    name = backup_create()
    volunteer_erase(user=erased_later.user, actor=make_user(group="Staff"))  # after the backup
    with storages["backups"].open(name, "rb") as file:
        assert b"kept.drill" not in file.read()  # encrypted
    if not settings.STORAGES["backups"]["BACKEND"].endswith("S3Storage"):
        assert oct(os.stat(storages["backups"].path(name)).st_mode & 0o777) == "0o600"

    restored_env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PYTEST_XDIST"))},
        "DJANGO_SETTINGS_MODULE": "training.settings.dev",
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "restored-private"),
        "ERASURE_LOG_ROOT": str(settings.ERASURE_LOG_ROOT),  # the live log, kept apart
        "BACKUP_ROOT": str(settings.BACKUP_ROOT),
        "CERTIFICATE_SIGNING_KEY_FILE": str(tmp_path / "restored-keys" / "signing.key"),
        "CACHE_KEY_PREFIX": drill,
    }
    scratch = None
    if connection.vendor == "postgresql":
        scratch = f"restored_{uuid.uuid4().hex[:8]}"
        subprocess.run(["psql", database_url("postgres"), "-qc", f"CREATE DATABASE {scratch}"], check=True)
        restored_env["DATABASE_URL"] = database_url(scratch)
    else:
        restored_env.pop("DATABASE_URL", None)
        restored_env["SQLITE_PATH"] = str(tmp_path / "restored.sqlite3")

    try:
        restored = manage("backup_restore", name, "--identity", str(age_identity), env=restored_env)
        again = manage_run("backup_restore", name, "--identity", str(age_identity), env=restored_env)
        verified = json.loads(
            manage("shell", "-c", VERIFY_EVERY_CERTIFICATE, env=restored_env).split("RESULT ", 1)[1]
        )
        read = manage("shell", "-c", READ_RESTORED, env=restored_env)
    finally:
        if scratch:
            drop_database(database_url("postgres"), scratch)

    assert "1 person(s) restored from the backup were erased again" in restored, restored
    assert again.returncode != 0 and "not empty" in again.stderr  # never over a live database
    people = {int(pk): email for pk, email in json.loads(read.split("PEOPLE ", 1)[1].splitlines()[0]).items()}
    assert people[kept.user.pk] == "kept.drill@example.org"
    assert people[erased_later.user.pk].endswith("@erased.invalid")
    assert json.loads(read.split("FILE ", 1)[1].splitlines()[0]) == [True, True]  # public, private
    statuses = {certificate.serial: certificate.status for certificate in Certificate.objects.all()}
    for serial, status in statuses.items():
        if status == Certificate.Status.VALID:
            assert verified[serial] == "VALID", verified
        else:  # revoked, and withdrawn by the erasure after the backup
            assert verified[serial].startswith("NOT VALID"), verified
    assert (tmp_path / "restored-keys" / "signing.key").read_text() == Path(
        settings.CERTIFICATE_SIGNING_KEY_FILE
    ).read_text()
    assert User.objects.filter(email="kept.drill@example.org").exists()


@pytest.mark.django_db
def test_a_replay_erases_only_the_account_the_log_names_not_another_with_its_id():
    """A restored database can give an erased account's id to someone new; the entry also names when
    the account was made, so the newcomer is left alone."""
    import datetime

    newcomer = make_volunteer(email="new.with.old.id@example.org")
    storages["erasure_log"].save(
        f"erasures/20261201T000000000000Z-{newcomer.user.pk}.json",
        ContentFile(
            json.dumps(
                {
                    "user_id": newcomer.user.pk,
                    "joined": (newcomer.user.date_joined - datetime.timedelta(days=3)).isoformat(),
                    "erased_at": "2026-12-01T00:00:00+00:00",
                }
            ).encode()
        ),
    )
    call_command("erasures_replay", stdout=open(os.devnull, "w"))  # noqa: SIM115
    newcomer.user.refresh_from_db()
    assert newcomer.user.email == "new.with.old.id@example.org" and newcomer.user.is_active
