"""Create the buckets the settings name and give the media bucket its public-read policy."""

from botocore.exceptions import BotoCoreError, ClientError
from django.core.management.base import BaseCommand, CommandError

from training.buckets import BucketError, buckets_setup


class Command(BaseCommand):
    help = (
        "Create the missing buckets (media, private files, erasure log, backups) and let anyone read "
        "the media bucket's objects. Run once per deploy, with migrate; running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            done = buckets_setup()
        except (BucketError, ClientError, BotoCoreError) as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
