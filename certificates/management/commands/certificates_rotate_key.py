"""Start signing with a new key; credentials signed with older keys keep verifying."""

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates import credentials
from certificates.keys import rotate_signing_key


class Command(BaseCommand):
    help = "Generate a new certificate signing key and publish its public key in the issuer profile."

    def handle(self, *args, **options):
        record, key = rotate_signing_key()
        self.stdout.write(self.style.SUCCESS(f"Published {record.key_id}: {record.public_key_multibase}"))
        if settings.CERTIFICATE_SIGNING_KEY:
            # The key lives in the environment, which a command cannot change: hand it to the operator.
            self.stdout.write(
                "Set this as CERTIFICATE_SIGNING_KEY on every app server, then restart them:\n"
                + credentials.private_key_to_multibase(key)
            )
        else:
            self.stdout.write(f"The new key is in {settings.CERTIFICATE_SIGNING_KEY_FILE}.")
