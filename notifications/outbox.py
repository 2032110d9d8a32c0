"""The `EMAIL_BACKEND` of the site: mail is written to the outbox, never sent inside a request.

`send_messages` renders each message once, gives it a Message-ID of the site's own domain (so no
DNS lookup happens in the request, and a message delivered twice carries the same ID), and stores
it as one `OutboxMessage` row through the default database connection: inside the caller's
transaction when there is one, so a rolled-back sign-up leaves no mail behind. The worker delivers
it (`notifications.delivery`).
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import sanitize_address

from notifications.models import OutboxMessage


def message_domain() -> str:
    """The domain of the site's Message-IDs: the public site's host name."""
    return urlsplit(settings.SITE_URL).hostname or "training.localhost"


def outbox_row(message: EmailMessage) -> OutboxMessage | None:
    """The outbox row for one message, unsaved; None when it has no recipient."""
    recipients = message.recipients()
    if not recipients:
        return None
    encoding = message.encoding or settings.DEFAULT_CHARSET
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        message.extra_headers["Message-ID"] = make_msgid(domain=message_domain())
    rendered = message.message()
    return OutboxMessage(
        from_email=sanitize_address(message.from_email, encoding),
        recipients="\n".join(sanitize_address(address, encoding) for address in recipients),
        subject=str(message.subject)[:998],
        message_id=rendered["Message-ID"],
        raw=rendered.as_bytes(),
    )


class OutboxBackend(BaseEmailBackend):
    """Queues messages in the outbox; `manage.py worker` delivers them."""

    def send_messages(self, email_messages):
        rows = [row for row in map(outbox_row, email_messages) if row is not None]
        OutboxMessage.objects.bulk_create(rows)
        return len(rows)
