"""The mail outbox (notifications): messages are rows written in the sender's transaction, delivered
later byte for byte, claimed by one worker at a time, retried with backoff, failed for staff, and
never sent again to an address that bounced. On the real database of each test pass."""

import datetime
import smtplib
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from notifications import delivery
from notifications.models import OutboxMessage, SuppressedAddress
from notifications.tasks import outbox_purge
from tests.factories import make_volunteer
from volunteers.services import user_data_export, volunteer_erase

pytestmark = pytest.mark.django_db

THAI_SUBJECT = "ยืนยันอีเมลของท่าน"
THAI_BODY = "สวัสดีค่ะ กรุณายืนยันอีเมลของท่านที่ลิงก์นี้\nhttps://training.example.org/accounts/confirm/abc/\n"


@pytest.fixture(autouse=True)
def outbox(settings):
    """Mail goes to the outbox; the worker delivers it into Django's test outbox (`mail.outbox`)."""
    settings.EMAIL_BACKEND = "notifications.outbox.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3


def send(to="volunteer@example.org", subject=THAI_SUBJECT, body=THAI_BODY):
    return mail.send_mail(subject, body, None, [to])


class FailingDelivery(BaseEmailBackend):
    """A delivery backend that raises what the test tells it to."""

    error: Exception = OSError("Connection refused")

    def send_messages(self, messages):
        raise FailingDelivery.error


@pytest.fixture
def failing(settings):
    settings.OUTBOX_DELIVERY_BACKEND = f"{__name__}.FailingDelivery"
    return FailingDelivery


def test_sending_writes_a_row_and_opens_no_connection(settings):
    assert send() == 1
    assert mail.outbox == []  # nothing delivered yet
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.QUEUED
    assert row.recipient_list() == ["volunteer@example.org"]
    assert row.subject == THAI_SUBJECT
    assert row.message_id.endswith(f"@{urlsplit(settings.SITE_URL).hostname}>")


def test_a_rolled_back_transaction_leaves_no_mail():
    with pytest.raises(RuntimeError), transaction.atomic():
        send()
        raise RuntimeError("the sign-up failed after the mail was sent")
    assert not OutboxMessage.objects.exists()


def test_the_worker_delivers_the_stored_message_byte_for_byte_and_forgets_its_body():
    send()
    row = OutboxMessage.objects.get()
    stored = bytes(row.raw)
    assert delivery.deliver_due() == 1
    [delivered] = mail.outbox
    assert delivered.to == ["volunteer@example.org"]
    assert delivered.message().as_bytes() == stored
    assert str(make_header(decode_header(delivered.message()["Subject"]))) == THAI_SUBJECT
    assert THAI_BODY.encode() in delivered.message().get_payload(decode=True)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT and row.sent_at is not None
    assert row.raw is None  # the confirmation link is not kept once delivered
    assert delivery.deliver_due() == 0  # nothing is sent twice


def test_a_claimed_message_is_not_claimed_again_until_its_lease_runs_out(settings):
    settings.OUTBOX_LEASE_SECONDS = 60
    send()
    first = delivery.claim_next()
    assert first is not None and first.attempts == 1
    assert delivery.claim_next() is None  # a second worker finds nothing to do
    later = timezone.now() + datetime.timedelta(seconds=61)
    again = delivery.claim_next(now=later)  # the first worker died: the lease ran out
    assert again.pk == first.pk and again.attempts == 2


def test_a_temporary_failure_is_retried_with_backoff_then_fails_for_staff(failing):
    failing.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    send()
    assert delivery.deliver_due() == 1
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.QUEUED and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=29)
    assert "SMTPServerDisconnected" in row.last_error
    assert delivery.deliver_due() == 0  # not due yet
    for attempt in (2, 3):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        delivery.deliver_due()
        row.refresh_from_db()
        assert row.attempts == attempt
    assert row.status == OutboxMessage.Status.FAILED  # OUTBOX_MAX_ATTEMPTS = 3
    assert row.raw is not None  # kept, to be sent again


def test_a_hard_bounce_suppresses_the_address_until_staff_allow_it_or_it_changes(failing, settings):
    failing.error = smtplib.SMTPRecipientsRefused({"gone@example.org": (550, b"5.1.1 no such user")})
    send(to="Gone <Gone@Example.org>")
    delivery.deliver_due()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.SUPPRESSED and row.attempts == 1  # no retry of a 5xx
    assert "550 5.1.1 no such user" in row.last_error
    assert SuppressedAddress.objects.get().email == "gone@example.org"

    # The next message to that address is not even tried.
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send(to="gone@example.org")
    delivery.deliver_due()
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SUPPRESSED).count() == 2

    # The person changes to another address: mail reaches it.
    send(to="new.address@example.org")
    delivery.deliver_due()
    assert [message.to for message in mail.outbox] == [["new.address@example.org"]]

    # Staff allow the old address again and send the held-back message again.
    SuppressedAddress.objects.all().delete()
    assert delivery.send_again(row)
    delivery.deliver_due()
    assert mail.outbox[-1].to == ["Gone <Gone@Example.org>"]


def test_a_temporary_refusal_is_retried_and_suppresses_nothing(failing):
    failing.error = smtplib.SMTPRecipientsRefused({"busy@example.org": (450, b"4.2.1 mailbox busy")})
    send(to="busy@example.org")
    delivery.deliver_due()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.QUEUED
    assert not SuppressedAddress.objects.exists()


def test_a_message_whose_worker_died_with_its_attempts_used_up_fails_instead_of_looping(settings):
    send()
    OutboxMessage.objects.update(
        status=OutboxMessage.Status.SENDING,
        attempts=settings.OUTBOX_MAX_ATTEMPTS,
        leased_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    delivery.deliver_due()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED and "worker stopped" in row.last_error
    assert mail.outbox == []


def test_send_again_gives_fresh_attempts_and_refuses_delivered_messages(failing, settings):
    failing.error = smtplib.SMTPDataError(554, b"5.7.1 rejected as spam")
    send()
    delivery.deliver_due()
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED and "554" in row.last_error
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert delivery.send_again(row)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.QUEUED and row.attempts == 0 and row.last_error == ""
    delivery.deliver_due()
    assert len(mail.outbox) == 1
    assert not delivery.send_again(row)  # delivered: nothing to send again


def test_delivered_records_are_forgotten_after_thirty_days():
    send()
    send(to="other@example.org")
    delivery.deliver_due()
    OutboxMessage.objects.filter(recipients="volunteer@example.org").update(
        sent_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert outbox_purge.call() == {"sent_messages_deleted": 1}
    assert list(OutboxMessage.objects.values_list("recipients", flat=True)) == ["other@example.org"]


def test_a_persons_mail_is_in_their_export_and_gone_after_erasure(failing):
    failing.error = smtplib.SMTPRecipientsRefused({"anna@example.org": (550, b"5.1.1 no such user")})
    anna = make_volunteer(email="anna@example.org").user
    send(to="anna@example.org", subject="Your course")
    send(to="someone.else@example.org", subject="Another course")
    delivery.deliver_due()
    exported = user_data_export(user=anna)["data"]["mail"]
    assert [item["subject"] for item in exported["mail"]] == ["Your course"]
    assert exported["address_suppressed_after_bounce"] is True
    volunteer_erase(user=anna, actor=anna)
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Another course"]
    assert not SuppressedAddress.objects.exists()


def test_wagtails_own_mail_and_djangos_mail_to_admins_go_to_the_outbox_too(settings):
    from django.core.mail import mail_admins
    from wagtail.admin.mail import send_mail as wagtail_send_mail

    settings.ADMINS = [("Operator", "operator@example.org")]
    wagtail_send_mail("หน้าเว็บรอการตรวจ", "A page waits for moderation.", ["moderator@example.org"])
    mail_admins("Server error", "Traceback ...")
    assert mail.outbox == []  # nothing sent inside the request
    assert sorted(OutboxMessage.objects.values_list("recipients", flat=True)) == [
        "moderator@example.org",
        "operator@example.org",
    ]
    delivery.deliver_due()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "moderator@example.org",
        "operator@example.org",
    ]
