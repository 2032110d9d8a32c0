"""Make an encrypted backup now (the scheduler makes one nightly when BACKUP_AGE_RECIPIENTS is set)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from training.backups import BackupError, backup_create, backups_list


class Command(BaseCommand):
    help = "Back up the database, media, erasure log and signing key, encrypted to BACKUP_AGE_RECIPIENTS."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="list the backups kept, oldest first")

    def handle(self, *args, **options):
        if options["list"]:
            for name in backups_list():
                self.stdout.write(name)
            return
        try:
            name = backup_create()
        except (BackupError, ImproperlyConfigured) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(name)
