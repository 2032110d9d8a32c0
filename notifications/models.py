"""The outbox: one row per mail message, from the moment a request sends it until it is delivered."""

from email.utils import parseaddr

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A mail message waiting for the worker, being delivered, delivered, or given up on.

    `raw` is the message as the recipient will receive it (headers, Message-ID and all), so every
    attempt sends the same bytes; it is cleared once the message is delivered, because it may
    hold a sign-in link. `recipients` holds the envelope addresses, one per line.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: the address bounced")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    from_email = models.CharField(_("from"), max_length=320)
    recipients = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    message_id = models.CharField(_("message ID"), max_length=255)
    raw = models.BinaryField(_("message"), null=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    leased_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail message")
        verbose_name_plural = _("outgoing mail")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.subject} → {self.recipient_list()[0] if self.recipients else '?'}"

    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.splitlines() if address]


class SuppressedAddress(models.Model):
    """An address the mail server refused for good (a hard bounce): no mail goes to it until staff
    allow it again, or the person changes to another address."""

    email = models.EmailField(_("email address"), max_length=320, unique=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("suppressed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return self.email


def normalise_address(address: str) -> str:
    """The form addresses are compared in: the bare address (no display name), lower case."""
    return parseaddr(address)[1].strip().lower()
