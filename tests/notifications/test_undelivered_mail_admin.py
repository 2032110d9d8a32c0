"""Staff see the mail that could not be delivered, with the server's answer, send it again, and allow
an address that bounced; trainers see none of it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from notifications.models import OutboxMessage, SuppressedAddress
from tests.factories import client_in_group, make_undelivered_mail

pytestmark = pytest.mark.django_db


def test_staff_read_each_undelivered_message_with_the_servers_answer_in_thai():
    row = make_undelivered_mail(to="gone@example.org")
    delivered = make_undelivered_mail(to="fine@example.org")
    OutboxMessage.objects.filter(pk=delivered.pk).update(status=OutboxMessage.Status.SENT, last_error="")
    SuppressedAddress.objects.filter(email="fine@example.org").delete()
    page = client_in_group("Staff").get("/admin/mail/undelivered/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "gone@example.org" in text and "550 5.1.1 No such user" in text and row.subject in text
    assert "ไม่ได้ส่ง: อีเมลตีกลับ" in text  # the status, in the staff's Thai admin
    assert "ส่งอีกครั้ง" in text and "อนุญาตให้ส่งอีกครั้ง" in text
    assert "fine@example.org" not in text  # delivered mail is not listed


def test_allowing_the_address_and_sending_again_queues_the_message_with_fresh_attempts():
    row = make_undelivered_mail()
    client = client_in_group("Staff")
    address = SuppressedAddress.objects.get()
    assert client.post(f"/admin/mail/suppressed/{address.pk}/allow/").status_code == 302
    assert not SuppressedAddress.objects.exists()
    assert client.post(f"/admin/mail/{row.pk}/send-again/").status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxMessage.Status.QUEUED, 0, "")
    # Queued already: a second "send again" changes nothing and says so.
    response = client.post(f"/admin/mail/{row.pk}/send-again/", follow=True)
    assert "ไม่สามารถส่งข้อความนี้อีกครั้งได้" in response.content.decode()


def test_trainers_neither_see_nor_resend_undelivered_mail():
    row = make_undelivered_mail()
    trainer = client_in_group("Trainers")
    assert trainer.get("/admin/mail/undelivered/").status_code == 302
    trainer.post(f"/admin/mail/{row.pk}/send-again/")
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SUPPRESSED
    assert Group.objects.get(name="Staff").permissions.filter(codename="change_outboxmessage").exists()


def test_the_demo_shows_staff_a_bounced_message(demo):
    staff = Client()
    staff.force_login(get_user_model().objects.get(email="staff@example.org"))
    text = staff.get("/admin/mail/undelivered/").content.decode()
    assert "moved.away@example.org" in text and "550 5.1.1" in text
    assert "อนุญาตให้ส่งอีกครั้ง" in text
