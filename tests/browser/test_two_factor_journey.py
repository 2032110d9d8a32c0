"""A trainer sets up an authenticator app at first admin sign-in (after a code mailed to them), keeps
the recovery codes, then signs in again with a code from the app and once with a recovery code."""

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP

from tests.browser.steps import forget_the_browser
from tests.conftest import PHONE, axe_violations
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


class Clock:
    """The time the server checks codes at and the phone shows them at, moved on by the test.

    A code is accepted once, so the second sign-in needs the app's next code, 30 s later. The test
    once typed a code one step ahead instead; when the setup's code was checked just after a step
    boundary (a busy machine), django-otp learned a drift of -1 and refused it.
    """

    def __init__(self):
        self.now = time.time() // 30 * 30 + 15  # the middle of a step

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("django_otp.plugins.otp_totp.models.time", clock)
    return clock


def code_from(secret: str, clock: Clock, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand."""
    compact = secret.replace(" ", "")
    app = TOTP(b32decode(compact + "=" * (-len(compact) % 8)), drift=steps_ahead)
    app.time = clock.now
    return f"{app.token():06d}"


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()


def test_a_trainer_sets_up_two_step_verification_and_signs_in_with_a_code(live_server, page, settings, clock):
    settings.ADMIN_2FA_REQUIRED = True
    trainer = make_user(group="Trainers")
    page.set_viewport_size(PHONE)

    sign_in(page, live_server.url, trainer.email)
    page.wait_for_url(re.compile(r".*/admin/two-step/setup/\?next=.*"))
    # First a code mailed to the account's address: the password alone sets up nothing.
    assert page.locator("svg.two-factor-qr").count() == 0
    assert axe_violations(page) == []
    page.locator("main form button[name=action], main form:has(input[name=action]) button").first.click()
    page.locator("input[name=code]").wait_for()
    [message] = mail.outbox
    assert message.to == [trainer.email]
    mailed = re.search(r"^(\d{6})$", message.body, re.MULTILINE).group(1)
    page.fill("input[name=code]", mailed)
    page.locator("main form button[type=submit]").first.click()
    page.locator("svg.two-factor-qr").wait_for()
    assert page.locator("svg.two-factor-qr").is_visible()
    assert axe_violations(page) == []
    secret = page.locator("#two-factor-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)

    page.fill("input[name=code]", code_from(secret, clock))
    page.locator("main form button[type=submit]").first.click()
    # The recovery codes, shown once, then on to the admin.
    page.wait_for_url(live_server.url + "/admin/two-step/recovery-codes/")
    # Wagtail's message fades in; axe judges its contrast once it has finished.
    page.wait_for_function("document.getAnimations().every((animation) => animation.playState !== 'running')")
    assert axe_violations(page) == []
    recovery = page.locator("#two-factor-recovery-codes code").all_inner_texts()
    assert len(recovery) == 10
    page.locator("main a.button").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("#wagtail-sidebar").count() == 1

    # Next time: the password, then the code the app shows.
    forget_the_browser(page)
    sign_in(page, live_server.url, trainer.email)
    page.wait_for_url(re.compile(r".*/admin/two-step/verify/\?next=.*"))
    assert axe_violations(page) == []
    clock.now += 30  # the app shows its next code
    accepted = {code_from(secret, clock, steps) for steps in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in accepted)
    page.fill("input[name=code]", wrong)
    page.locator("main form button[type=submit]").first.click()
    error = page.locator(".error-message, .w-field__errors")
    error.first.wait_for()
    assert page.url.startswith(live_server.url + "/admin/two-step/verify/")
    page.wait_for_timeout(1100)  # django-otp makes the next try wait a second after a wrong code
    page.fill("input[name=code]", code_from(secret, clock))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/two-step/")
    assert "/admin/two-step/" in page.url

    # A phone left at home: a recovery code instead, once.
    forget_the_browser(page)
    sign_in(page, live_server.url, trainer.email)
    page.wait_for_url(re.compile(r".*/admin/two-step/verify/\?next=.*"))
    page.fill("input[name=code]", recovery[0])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")
