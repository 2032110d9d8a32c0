"""The account pages fit a phone (390 x 844) without sideways scrolling, even with a long email
address, and the password rules are read out with the password field."""

import pytest

from tests.conftest import PHONE
from tests.factories import PASSWORD, make_privacy_notice, make_volunteer
from volunteers.tokens import email_confirmation_token, password_set_path_args

pytestmark = pytest.mark.browser

# 60 characters, with no natural place to break.
LONG_EMAIL = "kanchanaphorn.srisuwanthanakul.oslovolunteer@thai-norway.org"


def overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", LONG_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def volunteer():
    assert len(LONG_EMAIL) == 60
    make_privacy_notice()
    return make_volunteer(
        email=LONG_EMAIL, given_name_th="กาญจนาภรณ์", family_name_th="ศรีสุวรรณธนกุล", email_confirmed=False
    )


def test_the_account_pages_fit_a_phone_with_a_long_email(live_server, page, volunteer):
    page.set_viewport_size(PHONE)
    anonymous = [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/reset/{uidb64}/{token}/".format(**password_set_path_args(volunteer.user)),
        "/en/accounts/signup/",
    ]
    signed_in = [
        "/accounts/profile/",  # the address is shown, with the banner reminding to confirm it
        "/en/accounts/profile/",
        "/accounts/password/",
        "/accounts/profile/erase/",
        "/accounts/consent/",
        f"/accounts/confirm/{email_confirmation_token(volunteer.user)}/",
    ]
    too_wide = []
    for path in anonymous:
        page.goto(live_server.url + path)
        if overflow(page) > 0:
            too_wide.append(f"{path}: {overflow(page)} px")
    sign_in(page, live_server.url)
    for path in signed_in:
        page.goto(live_server.url + path)
        if overflow(page) > 0:
            too_wide.append(f"{path}: {overflow(page)} px")
    assert too_wide == []
    # The address itself is all there, wrapped rather than cut.
    page.goto(live_server.url + "/accounts/profile/")
    assert LONG_EMAIL in page.locator("main").inner_text().replace("\n", "")


def test_the_password_rules_are_read_with_the_field(live_server, page, volunteer):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/signup/")
    described = page.evaluate(
        """() => document.getElementById('id_password1').getAttribute('aria-describedby')
            .split(' ').map(id => document.getElementById(id).textContent.trim())"""
    )
    assert described and "ใช้อย่างน้อย 8 ตัวอักษร" in described[0]
