"""One reminder to confirm the email address, and on the confirm page the confirm button first."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import make_privacy_notice
from tests.volunteers.test_accounts import sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def sign_in(client):
    """A volunteer who signed up logs in before opening the confirmation mail."""
    assert client.login(email="new@example.org", password="a-long-pass-phrase-2026")


def test_a_volunteer_who_logs_in_before_confirming_is_reminded_once(client):
    make_privacy_notice()
    sign_up(client)
    sign_in(client)
    html = client.get("/accounts/profile/").content.decode()
    assert html.count("กรุณายืนยันอีเมล") == 1


def test_the_confirm_page_puts_confirm_first_and_resend_second_and_secondary(client):
    make_privacy_notice()
    sign_up(client, prefix="/en")
    sign_in(client)
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    html = client.get("/" + link.split("://", 1)[1].split("/", 1)[1]).content.decode()
    confirm = html.index("Confirm my email address</button>")
    resend = html.index("Send the link again</button>")
    assert html.count("Send the link again</button>") == 1  # the banner's copy is not repeated
    assert confirm < resend
    confirm_button = html[html.rindex("<button", 0, confirm) : confirm]
    resend_button = html[html.rindex("<button", 0, resend) : resend]
    assert 'class="button"' in confirm_button  # the primary action
    assert 'class="link-button"' in resend_button  # visually secondary
    # The banner (and its resend) is still on every other page until the address is confirmed.
    assert "Please confirm your email address" in client.get("/en/accounts/profile/").content.decode()
