"""Emailed links that set a password or confirm an address work for hours, not days.

The attack: a reset or invitation link found days later in a mailbox, a forwarded mail or a shared
computer's history still sets the account's password.
"""

import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import signing

from tests.factories import make_user
from volunteers.tokens import email_confirmation_token, password_set_path_args

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-pass-phrase-2026"


def set_password_page(client, user, args):
    response = client.get(f"/en/accounts/reset/{args['uidb64']}/{args['token']}/", follow=True)
    return response.content.decode()


@pytest.mark.parametrize("hours_later, works", [(23, True), (25, False), (72, False)])
def test_a_password_link_expires_within_a_day(client, monkeypatch, hours_later, works):
    user = make_user(group="Trainers")  # an invitation and a reset carry the same kind of link
    made_at = datetime.now().replace(microsecond=0)  # Django compares naive times here
    monkeypatch.setattr(default_token_generator, "_now", lambda: made_at)
    args = password_set_path_args(user)
    monkeypatch.setattr(default_token_generator, "_now", lambda: made_at + timedelta(hours=hours_later))
    html = set_password_page(client, user, args)
    assert ('name="new_password1"' in html) is works


@pytest.mark.parametrize("hours_later, status", [(23, 200), (25, 400), (7 * 24 - 1, 400)])
def test_an_email_confirmation_link_expires_within_a_day(client, monkeypatch, hours_later, status):
    user = make_user()
    token = email_confirmation_token(user)
    later = time.time() + hours_later * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(f"/en/accounts/confirm/{token}/").status_code == status


def test_the_reset_page_says_how_long_the_link_works(client, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600
    assert "The link works for 24 hours." in client.get("/en/accounts/password-reset/sent/").content.decode()
    assert "ลิงก์ใช้ได้ภายใน 24 ชั่วโมง" in client.get("/accounts/password-reset/sent/").content.decode()
