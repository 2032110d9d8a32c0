"""A trainer sets up an authenticator app at first admin sign-in, then signs in again with a code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.conftest import PHONE, axe_violations
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def code_from(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()


def test_a_trainer_sets_up_two_step_verification_and_signs_in_with_a_code(live_server, page, settings):
    settings.ADMIN_2FA_REQUIRED = True
    trainer = make_user(group="Trainers")
    page.set_viewport_size(PHONE)

    sign_in(page, live_server.url, trainer.email)
    page.wait_for_url(re.compile(r".*/admin/two-step/setup/\?next=.*"))
    assert page.locator("svg.two-factor-qr").is_visible()
    assert axe_violations(page) == []
    secret = page.locator("#two-factor-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)

    page.fill("input[name=code]", code_from(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("#wagtail-sidebar").count() == 1

    # Next time: the password, then the code the app shows.
    page.context.clear_cookies()
    sign_in(page, live_server.url, trainer.email)
    page.wait_for_url(re.compile(r".*/admin/two-step/verify/\?next=.*"))
    assert axe_violations(page) == []
    accepted = {code_from(secret, steps) for steps in (-1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in accepted)
    page.fill("input[name=code]", wrong)
    page.locator("main form button[type=submit]").first.click()
    error = page.locator(".error-message, .w-field__errors")
    error.first.wait_for()
    assert page.url.startswith(live_server.url + "/admin/two-step/verify/")
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.fill("input[name=code]", code_from(secret, 1))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/two-step/")
    assert "/admin/two-step/" in page.url
