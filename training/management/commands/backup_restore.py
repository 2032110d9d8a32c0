"""Restore a backup into this site's empty database and its storages, then replay the erasure log."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup (a name in the backups storage, or a file) into an empty database: the media, "
        "the signing key, then migrate and erase again everyone in the erasure log."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="training-<time>.tar.age, as `backup --list` shows it, or a path")
        parser.add_argument("--identity", required=True, help="the age identity (secret key) file")

    def handle(self, *args, **options):
        identity = Path(options["identity"])
        if not identity.is_file():
            raise CommandError(f"No identity file at {identity}.")
        try:
            manifest = backup_restore(options["backup"], identity, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from error
        release = manifest.get("release") or "unknown"
        files = sum(manifest["restored_files"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (release {release}): {files} files."
        )
