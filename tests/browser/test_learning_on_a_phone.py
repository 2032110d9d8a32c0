"""On a phone, over the seeded demo: the header leads to the courses and "My learning", a missing
prerequisite shows instead of the enrol button, finishing a course leads to its certificate, and a
revoked certificate says so with its reason and offers no PDF."""

import uuid

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.demo.quizzes import _right_answers
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CoursePage, LessonPage, QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.conftest import PHONE
from tests.factories import PASSWORD, make_volunteer
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()


@pytest.fixture
def demo(demo, live_server):
    """The demo (tests/conftest.py) served by the live server: its address."""
    return live_server.url


def test_the_header_leads_to_the_courses_and_signing_in_lands_on_my_learning(demo, page):
    page.set_viewport_size(PHONE)
    page.goto(demo + "/")
    no_sideways_scroll(page)
    page.locator("header nav a", has_text="หลักสูตร").click()
    page.wait_for_url(demo + "/courses/")
    expect(page.locator(".course-card").first).to_be_visible()

    page.goto(demo + "/")
    page.locator("header a[href^='/accounts/login/']").click()
    log_in(page, demo, "volunteer@example.org", DEMO_PASSWORD)
    page.wait_for_url(demo + "/learn/")
    no_sideways_scroll(page)
    expect(page.locator("header a[href='/learn/']")).to_be_visible()
    expect(page.locator("header a[href='/courses/']")).to_be_visible()


def test_a_missing_prerequisite_shows_instead_of_the_enrol_button(demo, page):
    page.set_viewport_size(PHONE)
    page.goto(demo + "/accounts/login/?next=/courses/case-practice/")
    log_in(page, demo, "volunteer@example.org", DEMO_PASSWORD)
    page.wait_for_url(demo + "/courses/case-practice/")
    expect(page.locator(".course-action form")).to_have_count(0)
    prerequisite = page.locator(".course-action__prerequisites a")
    expect(prerequisite).to_have_count(1)
    no_sideways_scroll(page)
    prerequisite.click()
    page.wait_for_url(demo + "/courses/orientation/")


def test_finishing_a_course_leads_to_its_certificate(demo, page):
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    volunteer = make_volunteer(given_name_th="ปรียา", family_name_th="ใจงาม").user
    course_enrol(volunteer=volunteer, course=course)
    lessons = list(LessonPage.objects.descendant_of(course).live().filter(is_required=True).order_by("path"))
    for lesson in lessons[:-1]:
        lesson_complete(volunteer=volunteer, lesson=lesson)
    for quiz in QuizPage.objects.descendant_of(course).live():
        attempt = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
        quiz_attempt_submit(attempt=attempt, answers=_right_answers(attempt.questions))

    # The volunteer marks the last lesson done on a phone.
    page.set_viewport_size(PHONE)
    page.goto(demo + "/accounts/login/?next=" + lessons[-1].url)
    log_in(page, demo, volunteer.email, PASSWORD)
    page.wait_for_url(demo + lessons[-1].url)
    page.locator(".lesson__complete button[type=submit]").click()
    page.wait_for_url(demo + course.url)
    certificate = Certificate.objects.get(volunteer=volunteer, course=course)
    expect(page.locator(".course-completed a[href$='.pdf']")).to_be_visible()
    no_sideways_scroll(page)
    page.locator(".course-completed a", has_text="ดูใบประกาศนียบัตร").click()
    page.wait_for_url(demo + f"/learn/certificates/#certificate-{certificate.serial}")
    expect(page.locator(f"#certificate-{certificate.serial}")).to_contain_text(certificate.serial)

    # The dashboard offers it too.
    page.goto(demo + "/learn/")
    entry = page.locator(f".dashboard-course__certificate a[href$='#certificate-{certificate.serial}']")
    expect(entry).to_be_visible()


def test_a_revoked_certificate_shows_its_reason_and_offers_no_pdf(demo, page):
    revoked = Certificate.objects.get(
        volunteer__email="malai.se@example.org", status=Certificate.Status.REVOKED
    )
    revoked.volunteer.set_password(PASSWORD)  # registered demo volunteers have no password to sign in
    revoked.volunteer.save(update_fields=["password"])
    page.set_viewport_size(PHONE)
    page.goto(demo + "/accounts/login/?next=/learn/certificates/")
    log_in(page, demo, "malai.se@example.org", PASSWORD)
    page.wait_for_url(demo + "/learn/certificates/")
    card = page.locator(f"#certificate-{revoked.serial}")
    expect(card).to_contain_text("เพิกถอน")
    expect(card).to_contain_text(revoked.status_reason)
    expect(card.locator("a, form, code")).to_have_count(0)
    no_sideways_scroll(page)

    response = page.goto(demo + f"/certificates/{revoked.token}.pdf")
    assert response.status == 410
    expect(page.locator("main")).to_contain_text(revoked.status_reason)
