"""On a phone: a new volunteer signs up, enrols, marks lessons done, leaves, comes back, continues
where they stopped, sees the right percentage on the dashboard, and completes the platform course."""

import pytest
from django.contrib.auth import get_user_model

from courses.learning.selectors import learning_dashboard
from courses.models import CoursePage, LessonPage
from tests.browser.steps import forget_the_browser, sign_up
from tests.conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

EMAIL = "malai.learner@example.org"
PASSWORD = "malai-learns-2026-phrase"


def lessons_of(slug: str) -> tuple[CoursePage, list[LessonPage]]:
    course = CoursePage.objects.get(slug=slug, locale__language_code="th")
    return course, list(LessonPage.objects.descendant_of(course).live().order_by("path"))


def mark_done(page) -> None:
    page.locator("form.lesson__complete button[type=submit]").click()
    page.wait_for_load_state()


def test_enrol_mark_lessons_done_leave_come_back_continue_and_complete_a_course(demo, live_server, page):
    page.set_viewport_size(PHONE)
    orientation, orientation_lessons = lessons_of("orientation")
    platform, platform_lessons = lessons_of("how-to-use-this-platform")

    # Sign up.
    sign_up(page, live_server.url, email=EMAIL, password=PASSWORD)

    # Enrol in the orientation course from its page: the first lesson opens.
    page.goto(live_server.url + orientation.url)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_url(live_server.url + orientation_lessons[0].url)
    assert axe_violations(page) == []

    # Mark two lessons done; each moves on to the next lesson.
    mark_done(page)
    page.wait_for_url(live_server.url + orientation_lessons[1].url)
    mark_done(page)
    page.wait_for_url(live_server.url + orientation_lessons[2].url)

    # Leave, come back, log in, and continue where they stopped.
    forget_the_browser(page)
    page.goto(live_server.url + "/accounts/login/?next=" + orientation.url)
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + orientation.url)
    page.locator(".course-action a.button").click()
    page.wait_for_url(live_server.url + orientation_lessons[2].url)

    # The dashboard shows the course's percentage.
    user = get_user_model().objects.get(email=EMAIL)
    expected = learning_dashboard(user=user, language_code="th").in_progress[0].percent
    assert 0 < expected < 100
    page.goto(live_server.url + "/learn/")
    assert page.locator(".dashboard-course progress").first.get_attribute("value") == str(expected)
    assert axe_violations(page) == []

    # Finish every lesson of the platform course: it shows as completed.
    page.goto(live_server.url + platform.url)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_url(live_server.url + platform_lessons[0].url)
    for _lesson in platform_lessons:
        mark_done(page)
    page.wait_for_url(live_server.url + platform.url)
    assert page.locator(".course-action__completed").is_visible()
    page.goto(live_server.url + "/learn/")
    assert page.locator(".dashboard-course--completed", has_text=platform.title).is_visible()
    # Nothing on these pages is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
