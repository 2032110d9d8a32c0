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


def test_after_sign_up_the_reminder_to_confirm_shows_once(client):
    make_privacy_notice()
    response = sign_up(client)
    html = client.get(response["Location"]).content.decode()
    assert html.count("กรุณายืนยันอีเมล") == 1
    assert "ยินดีต้อนรับ!" in html  # the welcome is still there, without repeating the reminder


def test_the_confirm_page_puts_confirm_first_and_resend_second_and_secondary(client):
    make_privacy_notice()
    sign_up(client, prefix="/en")
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
