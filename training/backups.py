"""Encrypted backups of everything a restore needs, and the restore.

One backup is one file, `training-<UTC time>.tar.age`, in the `backups` storage (a folder on
another disk or share, or a bucket of its own): a tar archive, encrypted with age to the public keys
in `BACKUP_AGE_RECIPIENTS`, holding

- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite's online
  backup);
- `media/public/...` and `media/private/...`: every file of the default and the private storage;
- `erasure-log/...`: a copy of the erasure log (volunteers/erasure_log.py) as it was;
- `keys/certificate-signing.key`: the key that signs certificates;
- `manifest.json`: when, which release, which database, how many files.

The server holds only the public keys, so whoever takes the server cannot read old backups; the
matching identity is kept offline and used only to restore. The archive goes straight into age: the
only plain copy on disk is the database dump, for as long as it is archived, in a temporary folder
only this user can read. Backups older than `BACKUP_KEEP_DAYS` (30) are deleted after each new one.

`restore` unpacks a backup into an empty database and the configured storages, then runs
`migrate` (a backup of an older release) and `erasures_replay`, which erases again everyone the live
erasure log names: the log lives apart from the database and the media, so an erasure made after
the backup survives the restore.
"""

import datetime
import io
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

NAME = re.compile(r"training-(\d{8}T\d{6}Z)\.tar\.age")
STAMP = "%Y%m%dT%H%M%SZ"
# archive folder → storage alias
STORED_FILES = {"media/public": "default", "media/private": "private", "erasure-log": "erasure_log"}
KEY_MEMBER = "keys/certificate-signing.key"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def age_recipients() -> list[str]:
    recipients = settings.BACKUP_AGE_RECIPIENTS
    if not recipients:
        raise ImproperlyConfigured("Set BACKUP_AGE_RECIPIENTS to the age public keys to encrypt backups to.")
    return recipients


def backup_create(now: datetime.datetime | None = None) -> str:
    """Make one encrypted backup in the `backups` storage; returns its name there."""
    recipients = age_recipients()
    name = f"training-{(now or timezone.now()).astimezone(datetime.UTC):{STAMP}}.tar.age"
    counts = {}
    with tempfile.TemporaryDirectory(prefix="training-backup-") as work:
        encrypted = Path(work) / name
        age = subprocess.Popen(
            ["age", "--encrypt", *[part for key in recipients for part in ("-r", key)], "-o", str(encrypted)],
            stdin=subprocess.PIPE,
        )
        try:
            with tarfile.open(fileobj=age.stdin, mode="w|") as archive:
                dump = database_dump(Path(work))
                archive.add(dump, arcname=dump.name)
                dump.unlink()
                for folder, alias in STORED_FILES.items():
                    counts[folder] = add_storage(archive, folder, storages[alias], skip=skipped_prefix(alias))
                key = signing_key_text()
                if key:
                    add_bytes(archive, KEY_MEMBER, key.encode())
                manifest = {
                    "created_at": timezone.now().isoformat(),
                    "release": settings.RELEASE,
                    "database": dump.name,
                    "files": counts,
                    "signing_key": bool(key),
                }
                add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        finally:
            age.stdin.close()
            returncode = age.wait()
        if returncode:
            raise BackupError(f"age could not encrypt the backup (exit {returncode})")
        with encrypted.open("rb") as file:
            stored = storages["backups"].save(name, File(file))
    pruned = backups_prune()
    logger.info(
        "Backup %s written (%s files, %s old ones deleted).", stored, sum(counts.values()), len(pruned)
    )
    return stored


def database_dump(folder: Path) -> Path:
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", database["NAME"]],
            env=postgres_environment(database),
            check=True,
        )
        return target
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        source, copy = sqlite3.connect(database["NAME"]), sqlite3.connect(target)
        with source, copy:
            source.backup(copy)
        source.close()
        copy.close()
        return target
    raise BackupError(f"no backup for a {connection.vendor} database")


def postgres_environment(database: dict) -> dict:
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def skipped_prefix(alias: str) -> str | None:
    """The private prefix inside the media bucket, when both share it: those files are the private
    storage's, archived once, under media/private."""
    if alias != "default":
        return None
    default = settings.STORAGES["default"].get("OPTIONS", {})
    private = settings.STORAGES["private"].get("OPTIONS", {})
    if default.get("bucket_name") and default.get("bucket_name") == private.get("bucket_name"):
        return private.get("location") or None
    return None


def stored_names(storage: Storage, folder: str = "", skip: str | None = None):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        path = f"{folder}/{sub}" if folder else sub
        if path != skip:
            yield from stored_names(storage, path, skip)


def add_storage(archive: tarfile.TarFile, folder: str, storage: Storage, skip: str | None = None) -> int:
    count = 0
    for name in stored_names(storage, skip=skip):
        info = tarfile.TarInfo(f"{folder}/{name}")
        info.size, info.mtime, info.mode = storage.size(name), time.time(), 0o600
        with storage.open(name, "rb") as file:
            archive.addfile(info, file)
        count += 1
    return count


def add_bytes(archive: tarfile.TarFile, member: str, content: bytes) -> None:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = len(content), time.time(), 0o600
    archive.addfile(info, io.BytesIO(content))


def signing_key_text() -> str:
    if settings.CERTIFICATE_SIGNING_KEY:
        return settings.CERTIFICATE_SIGNING_KEY.strip() + "\n"
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE) if settings.CERTIFICATE_SIGNING_KEY_FILE else None
    return path.read_text() if path and path.exists() else ""


def backups_prune(now: datetime.datetime | None = None) -> list[str]:
    """Delete backups older than BACKUP_KEEP_DAYS; returns their names."""
    storage = storages["backups"]
    oldest = (now or timezone.now()) - datetime.timedelta(days=settings.BACKUP_KEEP_DAYS)
    deleted = []
    for name in storage.listdir("")[1]:
        match = NAME.fullmatch(name)
        if match and datetime.datetime.strptime(match.group(1), STAMP).replace(tzinfo=datetime.UTC) < oldest:
            storage.delete(name)
            deleted.append(name)
    return deleted


def backups_list() -> list[str]:
    return sorted(name for name in storages["backups"].listdir("")[1] if NAME.fullmatch(name))


def backup_restore(name: str, identity: Path, *, stdout=None) -> dict:
    """Restore backup `name` (from the `backups` storage, or a file path) into this site's empty
    database and its storages, then migrate and replay the erasure log. Returns the manifest."""
    if connection.introspection.table_names():
        raise BackupError("The database is not empty: restore into a new, empty database.")
    source = Path(name) if Path(name).is_file() else None
    with tempfile.TemporaryDirectory(prefix="training-restore-") as work:
        if source is None:
            source = Path(work) / "backup.tar.age"
            with storages["backups"].open(name, "rb") as stored, source.open("wb") as copy:
                shutil.copyfileobj(stored, copy)
        age = subprocess.Popen(
            ["age", "--decrypt", "-i", str(identity), str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        manifest, restored = {}, {folder: 0 for folder in STORED_FILES}
        with tarfile.open(fileobj=age.stdout, mode="r|") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                content = archive.extractfile(member)
                if member.name in ("database.dump", "database.sqlite3"):
                    database_restore(member.name, content, Path(work))
                elif member.name == KEY_MEMBER:
                    signing_key_restore(content.read())
                elif member.name == "manifest.json":
                    manifest = json.loads(content.read())
                else:
                    folder = next((f for f in STORED_FILES if member.name.startswith(f + "/")), None)
                    if folder is None:
                        continue
                    relative = member.name.removeprefix(folder + "/")
                    storage = storages[STORED_FILES[folder]]
                    if ".." not in relative.split("/") and not storage.exists(relative):
                        storage.save(relative, ContentFile(content.read()))
                        restored[folder] += 1
            age.stdout.read()  # what follows the archive's end, so that age can finish
        error = age.stderr.read().decode(errors="replace")
        if age.wait():
            raise BackupError(f"age could not decrypt the backup: {error.strip()}")
    if not manifest:
        raise BackupError("The backup holds no manifest: it is not a whole backup.")
    call_command("migrate", interactive=False, verbosity=0)
    # The live erasure log (with the backup's copy added above) is replayed: volunteers app.
    call_command("erasures_replay", stdout=stdout)
    manifest["restored_files"] = restored
    return manifest


def database_restore(member: str, content, work: Path) -> None:
    path = work / member
    with path.open("wb") as copy:
        shutil.copyfileobj(content, copy)
    database = connection.settings_dict
    if member == "database.dump":
        if connection.vendor != "postgresql":
            raise BackupError("This backup holds a PostgreSQL database; this site uses another.")
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={database['NAME']}", str(path)],
            env=postgres_environment(database),
            check=True,
        )
    else:
        if connection.vendor != "sqlite":
            raise BackupError("This backup holds a SQLite database; this site uses another.")
        connection.close()
        source, target = sqlite3.connect(path), sqlite3.connect(database["NAME"])
        with source, target:
            source.backup(target)
        source.close()
        target.close()
    path.unlink()


def signing_key_restore(content: bytes) -> None:
    """The backup's key goes where this site reads its key from, unless a key is already there."""
    if settings.CERTIFICATE_SIGNING_KEY:
        if settings.CERTIFICATE_SIGNING_KEY.strip() != content.decode().strip():
            logger.warning(
                "CERTIFICATE_SIGNING_KEY differs from the backup's key; the backup's was not used."
            )
        return
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
    if path.exists():
        if path.read_bytes().strip() != content.strip():
            logger.warning("The key file differs from the backup's key; the backup's key was not written.")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
