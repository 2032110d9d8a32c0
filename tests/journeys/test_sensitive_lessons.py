"""Sensitive lessons, as production serves them: a volunteer can mark one done (the browser's Origin
header passes Django's CSRF check), and neither the page nor its quick exit tells another site where
the reader was."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.steps import confirm_email, sign_up

pytestmark = pytest.mark.browser

SENSITIVE_LESSON = "/courses/orientation/domestic-violence/recognising-abuse/"


def test_a_volunteer_marks_a_sensitive_lesson_done_and_it_leaks_no_referrer(site, phone):
    page = phone.new_page()
    page.goto("/accounts/signup/")
    email = f"reader.{uuid.uuid4().hex[:8]}@example.org"
    sign_up(page, email=email, password="sensitive-reader-2026")
    confirm_email(page, site, email=email)
    page.goto("/courses/orientation/")
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()

    response = page.goto(SENSITIVE_LESSON)
    assert response.status == 200
    expect(page.locator("a.quick-exit")).to_be_visible()
    # Other sites learn nothing from links here: the policy sends a referrer to this site only.
    assert response.headers["referrer-policy"] == "same-origin"
    assert page.locator("a.quick-exit").get_attribute("rel").split() == ["noreferrer", "noopener"]

    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.locator(".lesson__complete button[type=submit]").click()
    assert posted.value.request.header_value("origin") == site.url
    assert posted.value.status in (302, 303)
    page.goto(SENSITIVE_LESSON)
    expect(page.locator(".lesson__done")).to_be_visible()
    # No stricter policy in the page: "no-referrer" there made browsers send `Origin: null`.
    policies = page.locator("meta[name=referrer]").evaluate_all("metas => metas.map(m => m.content)")
    assert all(policy in ("same-origin", "strict-origin") for policy in policies), policies
