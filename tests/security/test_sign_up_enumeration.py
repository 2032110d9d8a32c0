"""Mail-sending endpoints are limited and sign-up does not tell whether an address has an account:
the answer is the same, the owner gets a "you already have an account" mail instead, and the mail
goes through the outbox, so the time to answer does not tell either. Wagtail's own unlimited admin
password reset is off."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import PASSWORD, make_privacy_notice, make_user
from volunteers.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


ATTACKERS_PASSWORD = "an-attackers-choice-2026"  # typed into the form by the attacker


def sign_up(email: str, *, address: str = "198.51.100.20"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(
        "/en/accounts/signup/",
        {"email": email, "password1": ATTACKERS_PASSWORD, "password2": ATTACKERS_PASSWORD, "consent": "on"},
    )
    return client, response


def test_sign_up_answers_the_same_for_a_new_and_an_existing_address(django_capture_on_commit_callbacks):
    make_privacy_notice()
    owner = make_user(email="owner@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new_client, new = sign_up("stranger@example.org")
        old_client, old = sign_up("Owner@Example.org")
    assert (
        (new.status_code, new["Location"])
        == (old.status_code, old["Location"])
        == (302, "/en/accounts/signup/sent/")
    )
    assert new_client.get(new["Location"]).content == old_client.get(old["Location"]).content
    assert "_auth_user_id" not in new_client.session and "_auth_user_id" not in old_client.session
    # The owner's account is untouched and they are told by mail; the stranger gets a confirmation link.
    owner.refresh_from_db()
    assert (
        owner.check_password(PASSWORD) and User.objects.filter(email__iexact="owner@example.org").count() == 1
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"stranger@example.org", "owner@example.org"}
    assert "/accounts/confirm/" in by_address["stranger@example.org"].body
    assert "already has an account" in by_address["owner@example.org"].body
    assert "/accounts/confirm/" not in by_address["owner@example.org"].body


def test_sign_up_mail_is_limited_per_client_whether_or_not_addresses_exist(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_MAILS_PER_CLIENT = 3
    make_privacy_notice()
    make_user(email="exists.1@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [sign_up(f"victim.{n}@example.org")[1].status_code for n in range(4)]
        answers += [sign_up("exists.1@example.org")[1].status_code]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert User.objects.filter(email__startswith="victim.").count() == 3  # no account past the limit
    # Another client is not held back by the first one.
    assert sign_up("victim.9@example.org", address="198.51.100.21")[1].status_code == 302


def test_sign_up_mail_to_one_address_is_limited_from_any_number_of_clients(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_MAILS_PER_EMAIL = 2
    make_privacy_notice()
    make_user(email="target@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            sign_up("target@example.org", address=f"198.51.100.{30 + n}")[1].status_code for n in range(5)
        ]
    assert answers == [302, 302, 429, 429, 429]
    assert len(mail.outbox) == 2


def test_sending_the_confirmation_link_again_is_limited(settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_MAILS_PER_EMAIL = 3
    user = make_user(email="unconfirmed@example.org")
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            client.post("/en/accounts/confirm-again/")
    assert len(mail.outbox) == 3
    page = client.post("/en/accounts/confirm-again/", follow=True).content.decode()
    assert "We have sent the link several times already" in page


def test_wagtails_admin_password_reset_is_off(django_capture_on_commit_callbacks):
    make_user(email="volunteer.target@example.org")
    client = Client()
    assert client.get("/admin/password_reset/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/password_reset/", {"email": "volunteer.target@example.org"})
    assert mail.outbox == []
    assert "/admin/password_reset/" not in client.get("/admin/login/").content.decode()
