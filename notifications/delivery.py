"""Delivering the outbox: what every worker does between tasks (registered in `apps.py`).

- **Claiming.** A row is taken by one conditional UPDATE (its status and attempt count as they
  were read), so two workers never send the same row at once, on SQLite or PostgreSQL. The claim
  counts an attempt and gives a lease of `OUTBOX_LEASE_SECONDS`.
- **A lease.** A row still "being sent" after its lease belongs to a worker that died; any worker
  claims it again. So delivery is at least once: a worker killed after the mail server accepted a
  message but before the row was marked sent sends it again, with the same Message-ID. Only a
  message in flight at that moment can be sent twice.
- **Retries.** A connection error, a timeout or a temporary refusal (4xx) puts the row back with
  the worker's backoff (30 s, 1, 2, 4 ... minutes, at most an hour) until it has been tried
  `OUTBOX_MAX_ATTEMPTS` times; then it is failed, for staff to see and send again. A permanent
  refusal (5xx) fails it at once.
- **Hard bounces.** An address the server refuses with a 5xx is suppressed: no further mail is
  sent to it (rows for it end "not sent: the address bounced") until staff allow it again. A
  person who changes to another address gets mail there.
"""

from __future__ import annotations

import datetime
import io
import logging
import smtplib
from email import message_from_bytes
from email.generator import BytesGenerator, Generator
from email.message import Message

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.utils import timezone

from notifications.models import OutboxMessage, SuppressedAddress, normalise_address
from training.worker import backoff

logger = logging.getLogger(__name__)

# How many messages one pass of the loop delivers before it looks at the tasks again.
BATCH = 50


class StoredMIMEMessage(Message):
    """A stored message parsed back, which writes itself out byte for byte as it was stored."""

    def as_bytes(self, unixfrom=False, linesep="\n", policy=None):
        out = io.BytesIO()
        BytesGenerator(out, mangle_from_=False).flatten(self, unixfrom=unixfrom, linesep=linesep)
        return out.getvalue()

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None, linesep="\n"):
        out = io.StringIO()
        Generator(out, mangle_from_=False).flatten(self, unixfrom=unixfrom, linesep=linesep)
        return out.getvalue()


class StoredEmail(EmailMessage):
    """An outbox row as Django's mail backends expect a message: they send its stored bytes to its
    stored envelope recipients."""

    def __init__(self, row: OutboxMessage, recipients: list[str]):
        super().__init__(subject=row.subject, from_email=row.from_email, to=recipients)
        self.raw = bytes(row.raw)

    def message(self, *, policy=None):
        return message_from_bytes(self.raw, _class=StoredMIMEMessage)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def due(now: datetime.datetime) -> Q:
    """Rows a worker may claim: queued and due, or left being sent past their lease."""
    return Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, leased_until__lt=now
    )


def claim_next(now: datetime.datetime | None = None, *, pk: int | None = None) -> OutboxMessage | None:
    """Claim the message due first (or message `pk`, if it is due), or None when nothing is due."""
    now = now or timezone.now()
    candidates = OutboxMessage.objects.filter(due(now)).order_by("next_attempt_at", "pk")
    if pk is not None:
        candidates = candidates.filter(pk=pk)
    for pk, attempts in candidates.values_list("pk", "attempts")[:5]:
        claimed = OutboxMessage.objects.filter(due(now), pk=pk, attempts=attempts).update(
            status=OutboxMessage.Status.SENDING, attempts=F("attempts") + 1, leased_until=now + lease()
        )
        if claimed:
            return OutboxMessage.objects.get(pk=pk)
    return None


def classify(error: Exception) -> tuple[bool, list[str], str]:
    """(permanent?, addresses that bounced for good, what staff read) for a failed delivery."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        bounced = [address for address, (code, _text) in error.recipients.items() if code >= 500]
        detail = "; ".join(
            f"{address}: {code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for address, (code, text) in error.recipients.items()
        )
        return len(bounced) == len(error.recipients), bounced, detail
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else error.smtp_error
        )
        return error.smtp_code >= 500, [], f"{error.smtp_code} {text}"
    return False, [], f"{type(error).__name__}: {error}"


def record_failure(row: OutboxMessage, error: Exception, *, now: datetime.datetime | None = None) -> str:
    """After a failed attempt: suppress what bounced, then queue the row again after the backoff,
    or fail it. Returns the new status."""
    now = now or timezone.now()
    permanent, bounced, detail = classify(error)
    for address in bounced:
        SuppressedAddress.objects.get_or_create(email=normalise_address(address), defaults={"reason": detail})
    if permanent or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        status = OutboxMessage.Status.SUPPRESSED if bounced and permanent else OutboxMessage.Status.FAILED
        OutboxMessage.objects.filter(pk=row.pk).update(status=status, last_error=detail, leased_until=None)
    else:
        status = OutboxMessage.Status.QUEUED
        OutboxMessage.objects.filter(pk=row.pk).update(
            status=status, last_error=detail, leased_until=None, next_attempt_at=now + backoff(row.attempts)
        )
    logger.warning("Mail %s: attempt %s failed (%s); now %s", row.pk, row.attempts, detail, status)
    return status


def mark_sent(row: OutboxMessage) -> None:
    """Delivered: the message's bytes (which may hold a sign-in link) are dropped, the record kept."""
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), raw=None, leased_until=None, last_error=""
    )


def deliverable(row: OutboxMessage) -> list[str]:
    """The row's recipients whose address has not bounced."""
    recipients = row.recipient_list()
    suppressed = set(
        SuppressedAddress.objects.filter(
            email__in=[normalise_address(address) for address in recipients]
        ).values_list("email", flat=True)
    )
    return [address for address in recipients if normalise_address(address) not in suppressed]


def deliver_due(*, limit: int = BATCH) -> int:
    """Deliver up to `limit` due messages over one connection; returns how many were handled, so
    the worker's loop comes straight back while there is more."""
    connection = None
    handled = 0
    try:
        while handled < limit and (row := claim_next()) is not None:
            handled += 1
            if row.attempts > settings.OUTBOX_MAX_ATTEMPTS:
                # Claimed again after its lease with its attempts used up: a worker died sending it.
                OutboxMessage.objects.filter(pk=row.pk).update(
                    status=OutboxMessage.Status.FAILED,
                    leased_until=None,
                    last_error="The worker stopped while sending it.",
                )
                continue
            recipients = deliverable(row)
            if not recipients:
                OutboxMessage.objects.filter(pk=row.pk).update(
                    status=OutboxMessage.Status.SUPPRESSED, leased_until=None
                )
                continue
            try:
                if connection is None:
                    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
                    connection.open()
                connection.send_messages([StoredEmail(row, recipients)])
            except Exception as error:  # every failure is recorded for staff
                record_failure(row, error)
                if connection is not None:
                    close_quietly(connection)
                    connection = None
            else:
                mark_sent(row)
    finally:
        if connection is not None:
            close_quietly(connection)
    return handled


def close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection is closed as far as it goes
        logger.debug("Closing the mail connection failed", exc_info=True)


def send_again(row: OutboxMessage) -> bool:
    """Staff send a failed or suppressed message again, with fresh attempts. False when it has no
    message left to send (it was delivered, or erased)."""
    return bool(
        OutboxMessage.objects.filter(
            pk=row.pk,
            status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.SUPPRESSED],
            raw__isnull=False,
        ).update(
            status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )
