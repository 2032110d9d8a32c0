"""Steps several browser journeys take the same way."""

import re

from django.core import mail
from playwright.sync_api import expect


def fill_sign_up(page, base_url: str, *, email: str, password: str) -> None:
    """Fill in and send the sign-up form shown on `page`, giving consent to the privacy notice, and
    wait for the "check your email" page it leads to."""
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/accounts/signup/sent/")


def confirm_by_mail(page, base_url: str, *, email: str) -> None:
    """Open the mailed link in the same browser and confirm: the new account is signed in on its
    profile page."""
    message = next(message for message in reversed(mail.outbox) if message.to == [email])
    path = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+)", message.body).group(1)
    page.goto(base_url + path)
    page.locator("main .card form button[type=submit]").click()
    page.wait_for_url(base_url + "/accounts/profile/")


def sign_up(page, base_url: str, *, email: str, password: str, confirm: bool = True) -> None:
    """Open the sign-up page and sign up; then confirm the address from the mail, unless told not to."""
    page.goto(base_url + "/accounts/signup/")
    fill_sign_up(page, base_url, email=email, password=password)
    if confirm:
        confirm_by_mail(page, base_url, email=email)


def forget_the_browser(page) -> None:
    """Let another person use the same browser: finish the page's own requests, leave it, then clear
    the cookies. Cleared under a page still loading, a late response could set a new CSRF cookie
    that the next page's form no longer matches."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    page.context.clear_cookies()


def sign_out(page) -> None:
    """Press the header's sign-out button and wait until the server has signed the person out. The
    app first asks its service worker to send what is queued, so the form is submitted a moment after
    the click; a page opened in that moment would be cancelled by the sign-out's own navigation."""
    page.locator("form[data-sign-out] button[type=submit]").click()
    expect(page.locator("form[data-sign-out]")).to_have_count(0)
