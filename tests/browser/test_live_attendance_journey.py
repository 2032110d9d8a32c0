"""A trainer of one course ticks a volunteer as attended on the session's attendance page in the
admin; the volunteer, whose lessons were done, then sees the course completed."""

import pytest
from playwright.sync_api import expect

from courses.learning.services import lesson_complete
from tests.browser.steps import forget_the_browser
from tests.courses.live.helpers import enrolled_volunteer, session_course, trainer_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_the_trainer_ticks_attendance_and_the_volunteer_completes(live_server, page):
    course, lesson, run, _session = session_course("การส่งต่อผู้เสียหาย", required=1)
    volunteer = enrolled_volunteer(course, run, given_name_th="สมศรี", family_name_th="ทดสอบ")
    lesson_complete(volunteer=volunteer, lesson=lesson)
    trainer = trainer_of(course)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", trainer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/snippets/courses/livesession/")
    page.get_by_role("link", name="การเข้าร่วม").first.click()
    page.get_by_label("สมศรี ทดสอบ").check()
    page.locator("form:has(input[name=action][value=list]) button[type=submit]").click()
    expect(page.get_by_label("สมศรี ทดสอบ")).to_be_checked()

    forget_the_browser(page)
    page.goto(live_server.url + f"/accounts/login/?next={course.url}")
    page.fill("input[name=username]", volunteer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + course.url)
    expect(page.locator(".course-action__completed")).to_be_visible()
