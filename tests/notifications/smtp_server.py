"""A real SMTP server on loopback for the outbox tests (aiosmtpd): it records every connection
and message, can wait before accepting a message, and refuses the addresses it is told to."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO


@dataclass
class MailServer:
    port: int
    delay: float = 0.0
    refuse: dict[str, str] = field(default_factory=dict)  # address -> the SMTP answer to RCPT
    connections: int = 0
    received: list = field(default_factory=list)  # email.message.Message, one per accepted DATA

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.original_content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.received]


class CountingController(Controller):
    def __init__(self, mail_server: MailServer, **kwargs):
        self.mail_server = mail_server
        super().__init__(mail_server, **kwargs)

    def factory(self):
        mail_server = self.mail_server

        class CountingSMTP(SMTP):
            def connection_made(self, transport):
                mail_server.connections += 1
                super().connection_made(transport)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def mail_server(*, delay: float = 0.0, refuse: dict[str, str] | None = None) -> Iterator[MailServer]:
    server = MailServer(port=free_port(), delay=delay, refuse=refuse or {})
    controller = CountingController(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    server.connections = 0  # the controller's own check that it is up
    try:
        yield server
    finally:
        controller.stop()


def use_mail_server(settings, server: MailServer) -> None:
    """The site's settings as a deployment with this mail server has them: mail goes to the outbox,
    and the worker delivers it by SMTP."""
    settings.EMAIL_BACKEND = "notifications.outbox.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 30
