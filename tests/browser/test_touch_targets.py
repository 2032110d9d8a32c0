"""Every control a volunteer taps is at least 44 x 44 CSS pixels on a 390 x 844 phone: measured
in Chromium on the demo's forms and on every orientation quiz with an attempt open (choices,
true/false, short answers, matching dropdowns), with the header's links and buttons.

Links inside a sentence are left out (WCAG 2.5.8 exempts them); links that stand alone (in a
navigation, a list of links or a course list) and links styled as buttons are measured."""

import pytest

from courses.models import CoursePage, QuizPage
from tests.conftest import PHONE
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TAPPABLE = ", ".join(
    [
        "header a",
        "header button",
        "nav a",
        "main button",
        "main input:not([type=hidden])",
        "main select",
        "main textarea",
        "a.button",
        ".outline a",
        ".course-list h2 a",
        ".course-list h3 a",
        ".certificate-card__links a",
        ".course-action__prerequisites a",
    ]
)

MEASURE = """
(selector) => {
    const small = [];
    for (const element of document.querySelectorAll(selector)) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;  // not shown
        if (box.width < 44 || box.height < 44) {
            const name = element.name || element.innerText || element.getAttribute("href") || "";
            const size = `${box.width.toFixed(0)}x${box.height.toFixed(0)}`;
            small.push(`${element.tagName.toLowerCase()} "${name.trim().slice(0, 40)}" ${size}`);
        }
    }
    return small;
}
"""


def too_small(page) -> list[str]:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    return page.evaluate(MEASURE, TAPPABLE)


def test_every_control_on_the_demo_forms_and_quizzes_is_at_least_44_pixels(demo, live_server, page):
    page.set_viewport_size(PHONE)
    found = {}
    for path in ("/", "/accounts/signup/", "/accounts/login/", "/courses/", "/en/courses/orientation/"):
        page.goto(live_server.url + path)
        found[path] = too_small(page)

    page.goto(live_server.url + "/accounts/login/?next=/learn/")
    page.fill("input[name=username]", "volunteer@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/learn/")
    found["/learn/"] = too_small(page)
    for path in ("/courses/orientation/", "/courses/case-practice/", "/learn/certificates/"):
        page.goto(live_server.url + path)
        found[path] = too_small(page)

    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    kinds = set()
    for quiz in QuizPage.objects.descendant_of(course).live().order_by("path"):
        page.goto(live_server.url + quiz.url)
        start = page.locator(".quiz-start button[type=submit]")
        if start.count():
            start.click()
        page.locator("#quiz-form").wait_for()
        kinds |= set(page.eval_on_selector_all(".quiz-question", "qs => qs.map(q => q.className)"))
        found[quiz.url] = too_small(page)
    assert any("matching" in kind for kind in kinds) and any("short_answer" in kind for kind in kinds)
    assert {path: small for path, small in found.items() if small} == {}
