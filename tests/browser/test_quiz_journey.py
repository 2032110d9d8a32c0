"""On a phone: a new volunteer fails a demo quiz, sees the feedback the review rules allow, tries
again, passes, and the course completes once every lesson is done and every quiz passed."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from courses.demo.quizzes import _right_answers
from courses.learning.services import lesson_complete
from courses.models import CourseCompletion, CoursePage, LessonPage, QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.browser.steps import sign_up
from tests.conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

EMAIL = "somsri.quiz@example.org"
PASSWORD = "somsri-quizzes-2026-phrase"


def test_fail_a_quiz_see_feedback_retry_pass_and_complete_the_course(demo, live_server, page):
    page.set_viewport_size(PHONE)
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    quizzes = list(QuizPage.objects.descendant_of(course).live().order_by("path"))
    first_quiz = quizzes[0]

    sign_up(page, live_server.url, email=EMAIL, password=PASSWORD)
    page.goto(live_server.url + course.url)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()

    # Every lesson done and the other quizzes passed already: the first quiz is what is left.
    user = get_user_model().objects.get(email=EMAIL)
    for lesson in LessonPage.objects.descendant_of(course).live():
        lesson_complete(volunteer=user, lesson=lesson)
    for quiz in quizzes[1:]:
        attempt = quiz_attempt_start(volunteer=user, quiz=quiz, token=uuid.uuid4())
        quiz_attempt_submit(attempt=attempt, answers=_right_answers(attempt.questions))
    assert not CourseCompletion.objects.filter(volunteer=user, course=course).exists()

    # The course's "Continue" leads to the quiz.
    page.goto(live_server.url + course.url)
    page.locator(".course-action a.button").click()
    page.wait_for_url(live_server.url + first_quiz.url)

    # First attempt: wrong answers.
    page.locator(".quiz-start form button[type=submit]").click()
    page.wait_for_load_state()
    assert "ทบทวนบทเรียน" not in page.content()  # no feedback before submitting
    assert axe_violations(page) == []
    page.get_by_label("เมื่อเพื่อนอาสาสมัครถาม").check()
    page.locator("input[name='answer-ethics-decide'][value=true]").check()
    page.get_by_label("รับทุกกรณีคนเดียว").check()
    page.fill("input[name='answer-ethics-hotline']", "1669")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()

    # The review right after an attempt: score, marks and feedback, not the correct answers.
    result = page.locator("#quiz-result")
    assert "0%" in result.inner_text() and "0.00%" not in result.inner_text()
    assert result.get_by_text("ทบทวนบทเรียน “จริยธรรมและการรักษาความลับ”").is_visible()
    assert result.get_by_text("เพื่อนอาสาสมัครไม่ใช่เหตุผลในการเปิดเผย").is_visible()
    assert page.locator(".quiz-review__correct").count() == 0
    assert axe_violations(page) == []

    # Try again and pass (Thai digits in the short answer count).
    page.locator(".quiz-start form button[type=submit]").click()
    page.wait_for_load_state()
    page.get_by_label("เมื่อเขายินยอม หรือเมื่อมีอันตรายต่อชีวิต").check()
    page.locator("input[name='answer-ethics-decide'][value=false]").check()
    page.get_by_label("พักเมื่อรู้สึกเหนื่อยล้า").check()
    page.get_by_label("คุยกับผู้ประสานงานเมื่อหนักใจ").check()
    page.fill("input[name='answer-ethics-hotline']", "๑๓๐๐")
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    assert "100%" in page.locator("#quiz-result").inner_text()
    # Once passed, the later review shows the correct answers too.
    assert page.locator(".quiz-review__correct").count() == 4

    assert CourseCompletion.objects.filter(volunteer=user, course=course).count() == 1
    page.goto(live_server.url + course.url)
    assert page.locator(".course-action__completed").is_visible()
