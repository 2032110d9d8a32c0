"""Steps several browser journeys take the same way."""


def fill_sign_up(page, base_url: str, *, email: str, password: str) -> None:
    """Fill in and send the sign-up form shown on `page`, giving consent to the privacy notice, and
    wait for the profile page it leads to."""
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/accounts/profile/")


def sign_up(page, base_url: str, *, email: str, password: str) -> None:
    """Open the sign-up page and sign up."""
    page.goto(base_url + "/accounts/signup/")
    fill_sign_up(page, base_url, email=email, password=password)
