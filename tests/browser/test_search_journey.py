"""On a phone, in Thai: a volunteer not enrolled searches the catalog for a word inside lesson text,
sees the matching lessons with their course and module, taps one, and reads its title and summary
with the prompt to enrol (not the lesson itself)."""

import pytest

from courses.models import LessonPage
from tests.conftest import PHONE, axe_violations
from tests.factories import PASSWORD, make_volunteer

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    """A touch screen phone's page (the catalog's results are tapped, not clicked)."""
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_search_the_catalog_for_a_word_in_lesson_text_and_tap_a_lesson_result(demo, live_server, phone):
    page = phone
    volunteer = make_volunteer(email="nid.searcher@example.org").user
    lesson = LessonPage.objects.get(slug="recognising-abuse", locale__language_code="th")

    page.goto(live_server.url + "/accounts/login/?next=/courses/")
    page.fill("input[name=username]", volunteer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/courses/")

    # Search from the catalog for "violence": the lessons saying it are listed below the courses.
    page.fill("#catalog-q", "ความรุนแรง")
    page.locator(".catalog-search button[type=submit]").click()
    page.wait_for_url("**/courses/?q=*")
    results = page.locator("#search-results")
    assert results.is_visible()
    result = results.locator(".search-hit", has_text=lesson.title)
    assert "ปฐมนิเทศอาสาสมัคร" in result.locator(".search-hit__place").inner_text()
    assert "รู้จักและรับมือกับความรุนแรงในครอบครัว" in result.locator(".search-hit__place").inner_text()
    assert "คำเตือนเนื้อหา" in result.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []

    # Tap the lesson: its title, its summary and the enrol prompt; not the lesson body.
    link = result.locator("h3 a")
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    link.tap()
    page.wait_for_url(live_server.url + lesson.url)
    assert page.locator("h1").inner_text() == lesson.title
    assert page.locator(".lesson__summary").inner_text() == lesson.summary
    assert page.locator(".enrol-prompt").is_visible()
    assert page.locator(".enrol-prompt button[type=submit]").inner_text() == "ลงทะเบียนเรียนหลักสูตรนี้"
    assert page.locator("#lesson-body").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
