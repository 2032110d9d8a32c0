"""axe-core finds no serious or critical WCAG 2.2 AA violations on every volunteer-facing page, in
Thai and English, at phone and desktop widths; keyboard focus is visible; `lang` matches the page.

One live server and one seeded demo serve the whole sweep: a signed-in context for the demo
volunteer and an anonymous one are made once and reused for every page, language and width.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale

from certificates.models import Certificate
from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizPage, QuizResult
from courses.quizzes.services import quiz_attempt_start
from tests.conftest import DESKTOP, PHONE, axe_violations
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

VOLUNTEER = "volunteer@example.org"
# What proves a quiz page is in the state the sweep means to check.
SHOWS = {
    "quiz not started": ".quiz-start form",
    "quiz in progress": "#quiz-form",
    "quiz result": "#quiz-result",
}


def in_language(page, language_code: str) -> str:
    """The URL of a Wagtail page in a language (the Thai page when it is not translated)."""
    translation = page.get_translation_or_none(Locale.objects.get(language_code=language_code))
    return (translation or page).url


def sign_in(context, base_url: str) -> None:
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name=username]", VOLUNTEER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def volunteer_pages(language_code: str) -> list[tuple[str, str, bool]]:
    """(name, path, signed in) for every page issue 9 lists, in one language."""
    prefix = "" if language_code == "th" else "/en"
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    lesson = LessonPage.objects.descendant_of(course).live().order_by("path").first()
    quizzes = QuizPage.objects.descendant_of(course).live().order_by("path")
    attempted = QuizResult.objects.filter(volunteer__email=VOLUNTEER).values("quiz")
    quiz_with_result = quizzes.filter(pk__in=attempted).first()
    quiz_in_progress = quizzes.exclude(pk__in=attempted).first()
    quiz_not_started = quizzes.exclude(pk__in=attempted).exclude(pk=quiz_in_progress.pk).first()
    certificate = Certificate.objects.get(volunteer__email=VOLUNTEER, course=course)
    catalog = CourseIndexPage.objects.get(depth=3, locale__language_code="th")
    return [
        ("home", prefix + "/", False),
        ("catalog", in_language(catalog, language_code), False),
        ("course", in_language(course, language_code), True),
        ("lesson", in_language(lesson, language_code), True),
        ("quiz not started", in_language(quiz_not_started, language_code), True),
        ("quiz in progress", in_language(quiz_in_progress, language_code), True),
        ("quiz result", in_language(quiz_with_result, language_code), True),
        ("dashboard", prefix + "/learn/", True),
        ("certificates", prefix + "/learn/certificates/", True),
        ("verify", f"/verify/{certificate.token}/", False),
        ("sign-up", prefix + "/accounts/signup/", False),
        ("login", prefix + "/accounts/login/", False),
        ("profile", prefix + "/accounts/profile/", True),
    ]


def test_every_volunteer_page_passes_axe_in_both_languages_at_both_widths(
    demo, live_server, browser, browser_context_args
):
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    volunteer_quizzes = QuizPage.objects.descendant_of(course).live().order_by("path")
    attempted = QuizResult.objects.filter(volunteer__email=VOLUNTEER).values("quiz")
    volunteer = get_user_model().objects.get(email=VOLUNTEER)
    quiz_attempt_start(
        volunteer=volunteer, quiz=volunteer_quizzes.exclude(pk__in=attempted).first(), token=uuid.uuid4()
    )

    anonymous = browser.new_context(**browser_context_args)
    signed_in = browser.new_context(**browser_context_args)
    sign_in(signed_in, live_server.url)
    tabs = {False: anonymous.new_page(), True: signed_in.new_page()}
    found = {}
    for language_code in ("th", "en"):
        pages = volunteer_pages(language_code)
        for viewport_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            for name, path, needs_account in pages:
                tab = tabs[needs_account]
                tab.set_viewport_size(viewport)
                response = tab.goto(live_server.url + path)
                where = f"{name} ({language_code}, {viewport_name})"
                assert response.status == 200, where
                lang = tab.locator("html").get_attribute("lang")
                # The verify page is for anyone who scans the QR code: Thai and English side by side.
                if name != "verify":
                    assert lang == language_code, where
                if name in SHOWS:
                    assert tab.locator(SHOWS[name]).count() == 1, where
                violations = axe_violations(tab)
                if violations:
                    found[where] = violations
    anonymous.close()
    signed_in.close()
    assert found == {}


def focused(tab) -> dict:
    return tab.evaluate(
        """() => { const element = document.activeElement, style = getComputedStyle(element);
                   return {tag: element.tagName, className: element.className,
                           outline: style.outlineStyle, width: parseFloat(style.outlineWidth)}; }"""
    )


def test_keyboard_focus_is_visible_on_links_and_buttons(live_server, page):
    from tests.factories import catalog_page

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + catalog_page().url)
    assert focused(page)["tag"] == "BODY"
    # The first Tab reaches the skip link, which comes into view.
    page.keyboard.press("Tab")
    assert focused(page)["className"] == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    # The next Tab reaches the site name link: a solid outline at least 2px wide shows where focus is.
    page.keyboard.press("Tab")
    link = focused(page)
    assert link["tag"] == "A"
    assert link["outline"] == "solid" and link["width"] >= 2
    # A button reached by keyboard shows the same outline.
    page.locator(".catalog-search input").focus()
    page.keyboard.press("Tab")
    button = focused(page)
    assert button["tag"] == "BUTTON"
    assert button["outline"] == "solid" and button["width"] >= 2


def test_the_checker_catches_a_missing_alt_text(page):
    page.set_content(
        '<html lang="en"><head><title>x</title></head><body><main><img src="x.png"></main></body></html>'
    )
    assert any(violation.startswith("image-alt") for violation in axe_violations(page))
