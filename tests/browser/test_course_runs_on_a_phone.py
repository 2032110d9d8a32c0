"""On a phone, in Thai, over the seeded demo: the demo volunteer opens the refresher course, sees its
runs with their dates and seats (the first full, with a waiting list), enrols in the later run, and
"My learning" shows the run, its deadline in Buddhist Era and the days left; axe finds no serious
violation on either page."""

import re

import pytest
from playwright.sync_api import expect

from courses.demo.runs import COURSE_SLUG
from courses.learning.models import CourseRun
from tests.conftest import PHONE, axe_violations
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(demo, live_server):
    return live_server.url


def test_a_volunteer_enrols_in_a_run_and_sees_its_deadline(demo, page):
    first, later = CourseRun.objects.filter(course__slug=COURSE_SLUG).order_by("starts")
    page.set_viewport_size(PHONE)
    page.goto(demo + f"/accounts/login/?next=/courses/{COURSE_SLUG}/")
    page.fill("input[name=username]", "volunteer@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(demo + f"/courses/{COURSE_SLUG}/")

    full = page.locator(f"#run-{first.pk}")
    expect(full).to_contain_text(first.name)
    expect(full.locator("button")).to_contain_text("ลงชื่อสำรอง")
    offered = page.locator(f"#run-{later.pk}")
    expect(offered).to_contain_text("ที่นั่ง")
    expect(offered).to_contain_text(str(later.ends.year + 543))
    button = offered.locator("button")
    assert button.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert axe_violations(page) == []
    button.click()
    page.wait_for_load_state()

    page.goto(demo + "/learn/")
    deadline = page.locator(".run-deadline").filter(has_text=later.name)
    expect(deadline).to_be_visible()
    expect(deadline).to_contain_text("เรียนจบภายใน")
    expect(deadline).to_contain_text(str(later.ends.year + 543))
    expect(deadline).to_contain_text(re.compile(r"เหลืออีก \d+ วัน"))
    assert axe_violations(page) == []
