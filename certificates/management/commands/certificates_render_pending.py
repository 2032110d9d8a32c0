"""Store the PDFs that could not be stored when their certificates were issued (storage outage)."""

from django.core.management.base import BaseCommand, CommandError

from certificates.services import certificates_render_pending


class Command(BaseCommand):
    help = "Render and store every missing certificate PDF, with its SHA-256."

    def handle(self, *args, **options):
        stored, failed = certificates_render_pending()
        self.stdout.write(f"Stored {stored} PDF(s); {failed} failed.")
        if failed:
            raise CommandError("Some PDFs could not be stored; run the command again when storage answers.")
