"""The demo's mail that could not be delivered, so staff see Settings > Undelivered mail at work: a
message to an address the mail server refused for good, through the real outbox and delivery code.
And the demo volunteer's notification centre: the seeders before this one told them, through
`training.notices.notify`, of their registration and certificates; the oldest is read, so the
centre shows read and unread lines and the bell a count."""

import smtplib

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from notifications.delivery import claim_next, record_failure
from notifications.models import Notification, OutboxMessage, SuppressedAddress
from notifications.outbox import OutboxBackend
from notifications.services import notification_mark_read

DEMO_VOLUNTEER = "volunteer@example.org"

BOUNCED_ADDRESS = "moved.away@example.org"


def seed_undelivered_mail() -> None:
    if OutboxMessage.objects.filter(recipients=BOUNCED_ADDRESS).exists():
        return
    OutboxBackend().send_messages(
        [EmailMessage(_("Confirm your email address"), "…", None, [BOUNCED_ADDRESS])]
    )
    row = claim_next(pk=OutboxMessage.objects.get(recipients=BOUNCED_ADDRESS).pk)
    refused = {BOUNCED_ADDRESS: (550, b"5.1.1 The email account that you tried to reach does not exist")}
    record_failure(row, smtplib.SMTPRecipientsRefused(refused))
    assert SuppressedAddress.objects.filter(email=BOUNCED_ADDRESS).exists()


def seed_notifications() -> None:
    told = Notification.objects.filter(user__email=DEMO_VOLUNTEER)
    oldest = told.order_by("created_at", "pk").first()
    if oldest is not None and not told.filter(read_at__isnull=False).exists():
        notification_mark_read(notification=oldest)
