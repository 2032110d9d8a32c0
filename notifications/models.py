"""The outbox (one row per mail message, from the moment a request sends it until it is delivered),
the notifications people receive, and what they chose to receive."""

from email.utils import parseaddr

from django.conf import settings
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


class Notification(models.Model):
    """A message to one person about one event: the line in their notification centre, and the
    record of its delivery by each channel of its kind (`training.notices`).

    `context` is the plain data the sending app gave; the templates of the kind turn it into words
    in the reader's language whenever it is shown. `key` (when set) makes the message happen once
    per person and kind.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    context = models.JSONField(_("details"), default=dict, blank=True)
    key = models.CharField(_("once-only key"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Set by the channels once they delivered it: shown in the centre, mailed to the outbox.
    shown_at = models.DateTimeField(_("shown in the notification centre"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], condition=~models.Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["user", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user_id}"


class NotificationPreferences(models.Model):
    """What a person chose: the optional kinds they turned off, and quiet hours in their own zone.

    Quiet hours run from `quiet_start_hour` up to `quiet_end_hour` (either may cross midnight);
    without both, there are none. Transactional messages cannot be turned off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    muted_kinds = models.JSONField(_("kinds turned off"), default=list, blank=True)
    quiet_start_hour = models.PositiveSmallIntegerField(_("quiet from (hour)"), null=True, blank=True)
    quiet_end_hour = models.PositiveSmallIntegerField(_("quiet until (hour)"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(quiet_start_hour__isnull=True) | models.Q(quiet_start_hour__lte=23))
                & (models.Q(quiet_end_hour__isnull=True) | models.Q(quiet_end_hour__lte=23)),
                name="notification_quiet_hours_in_day",
            )
        ]

    def __str__(self):
        return str(self.user_id)
