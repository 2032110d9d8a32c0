"""Mail through a real SMTP server (aiosmtpd on loopback) that takes 5 s to accept each message:
sign-up and password reset open no SMTP connection while the person waits, and the worker
delivers every mail afterwards; a killed worker loses none (the PostgreSQL pass)."""

import signal
from collections import Counter

import pytest
from django.db import connections
from django.test import Client

from notifications import delivery
from notifications.models import OutboxMessage, SuppressedAddress
from tests.factories import make_privacy_notice, make_user
from tests.notifications.smtp_server import mail_server, use_mail_server
from tests.training.worker_process import start_worker, this_database_url, wait_for


@pytest.mark.django_db(transaction=True)  # sign-up queues its mail when the transaction commits
def test_sign_up_and_password_reset_answer_without_touching_a_slow_mail_server(settings):
    make_privacy_notice(version=1)
    make_user(email="known@example.org")
    with mail_server(delay=5) as server:
        use_mail_server(settings, server)
        client = Client()
        signed_up = client.post(
            "/accounts/signup/",
            {
                "email": "new.volunteer@example.org",
                "password1": "a-long-pass-phrase-2026",
                "password2": "a-long-pass-phrase-2026",
                "consent": "on",
            },
        )
        assert signed_up.status_code == 302
        reset = Client().post("/accounts/password-reset/", {"email": "known@example.org"})
        assert reset.status_code == 302
        assert server.connections == 0  # no SMTP during either request
        assert OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count() == 2

        assert delivery.deliver_due() == 2  # the worker's pass: one connection, 5 s a message
        assert server.connections == 1
        bodies = {mail["X-Envelope-To"]: mail.get_payload(decode=True).decode() for mail in server.received}
        assert set(bodies) == {"new.volunteer@example.org", "known@example.org"}
        assert "/accounts/confirm/" in bodies["new.volunteer@example.org"]
        assert "/accounts/reset/" in bodies["known@example.org"]
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}


@pytest.mark.django_db
def test_an_address_the_server_refuses_for_good_is_suppressed_and_one_it_defers_is_retried(settings):
    from django.core.mail import send_mail

    refuse = {"gone@example.org": "550 5.1.1 No such user", "full@example.org": "452 4.2.2 Mailbox full"}
    with mail_server(refuse=refuse) as server:
        use_mail_server(settings, server)
        for address in ("gone@example.org", "full@example.org", "fine@example.org"):
            send_mail("แจ้งเตือน", "ข้อความ", None, [address])
        delivery.deliver_due()
        status = dict(OutboxMessage.objects.values_list("recipients", "status"))
        assert status == {
            "gone@example.org": OutboxMessage.Status.SUPPRESSED,
            "full@example.org": OutboxMessage.Status.QUEUED,
            "fine@example.org": OutboxMessage.Status.SENT,
        }
        assert list(SuppressedAddress.objects.values_list("email", flat=True)) == ["gone@example.org"]
        assert "550 5.1.1 No such user" in OutboxMessage.objects.get(recipients="gone@example.org").last_error
        assert [message["X-Envelope-To"] for message in server.received] == ["fine@example.org"]


@pytest.mark.scaleout  # the PostgreSQL pass, as a deployment runs it
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_delivers_every_message_with_at_most_the_one_in_flight_twice(settings):
    from django.core.mail import send_mail

    settings.EMAIL_BACKEND = "notifications.outbox.OutboxBackend"
    messages = 12
    with mail_server(delay=0.3) as server:
        for number in range(messages):
            send_mail(f"ข้อความที่ {number}", "ข้อความ", None, [f"volunteer{number}@example.org"])
        connections.close_all()
        smtp = {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(server.port),
            "EMAIL_USE_TLS": "false",
            "OUTBOX_LEASE_SECONDS": "2",
            "OUTBOX_POLL_SECONDS": "0.2",
        }
        first = start_worker(this_database_url(), lease=2, extra_env=smtp)
        try:
            wait_for(lambda: len(server.received) >= 3, seconds=120)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        second = start_worker(this_database_url(), lease=2, extra_env=smtp)
        try:
            wait_for(
                lambda: OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == messages,
                seconds=120,
            )
        finally:
            second.terminate()
            second.wait(timeout=30)
            connections.close_all()
        received = Counter(server.message_ids())
    assert set(received) == set(OutboxMessage.objects.values_list("message_id", flat=True))  # none lost
    duplicates = sum(received.values()) - messages
    assert duplicates <= 1, received  # only the message in flight when the worker died
