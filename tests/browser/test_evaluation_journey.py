"""On a phone, in Thai, over the seeded demo: a volunteer finishes the case-practice course, which
requires the evaluation; no certificate yet, the course page asks for the evaluation; the form
refuses an incomplete answer with Thai messages; once sent, the certificate appears, exactly one."""

import uuid

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.demo.quizzes import _right_answers
from courses.evaluations.models import EvaluationAnswer, EvaluationDone
from courses.learning.models import Enrollment
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CoursePage, LessonPage, QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.conftest import PHONE, axe_violations
from tests.factories import PASSWORD, make_volunteer

pytestmark = pytest.mark.browser


def test_the_certificate_appears_only_after_the_evaluation(demo, live_server, page):
    base = live_server.url
    course = CoursePage.objects.get(slug="case-practice", locale__language_code="th")
    assert course.evaluation_required
    volunteer = make_volunteer(given_name_th="วารี", family_name_th="ประเมินดี", country="NO").user
    # Staff enrol her (she took the orientation course elsewhere); she has done all but the last lesson.
    course_enrol(volunteer=volunteer, course=course, source=Enrollment.Source.STAFF)
    lessons = list(LessonPage.objects.descendant_of(course).live().filter(is_required=True).order_by("path"))
    for lesson in lessons[:-1]:
        lesson_complete(volunteer=volunteer, lesson=lesson)
    for quiz in QuizPage.objects.descendant_of(course).live():
        attempt = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
        quiz_attempt_submit(attempt=attempt, answers=_right_answers(attempt.questions))
    answers_before = EvaluationAnswer.objects.filter(course=course).count()

    page.set_viewport_size(PHONE)
    page.goto(base + "/accounts/login/?next=" + lessons[-1].url)
    page.fill("input[name=username]", volunteer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + lessons[-1].url)
    page.locator(".lesson__complete button[type=submit]").click()
    page.wait_for_url(base + course.url)

    # Lessons done, but no certificate: the course page asks for the evaluation.
    expect(page.locator(".evaluation-call")).to_contain_text("กรอกแบบประเมินเพื่อรับใบประกาศนียบัตร")
    expect(page.locator(".course-completed")).to_have_count(0)
    assert not Certificate.objects.filter(volunteer=volunteer, course=course).exists()
    page.goto(base + "/learn/")
    expect(page.locator(".dashboard-course .evaluation-call")).to_be_visible()
    page.locator(".dashboard-course .evaluation-call a").click()
    page.wait_for_url(base + f"/learn/evaluations/{course.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert axe_violations(page) == []
    # Every answer control is a touch target of at least 44 px.
    for box in page.locator(".evaluation-form label.quiz-choice").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().height)"
    ):
        assert box >= 44

    # Sent with nothing chosen: Thai messages, nothing recorded.
    page.locator(".evaluation-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".evaluation-question .errors").first).to_contain_text("กรุณาตอบคำถามนี้")
    assert EvaluationAnswer.objects.filter(course=course).count() == answers_before

    # Rate the three questions, choose a device, write a suggestion, and send.
    for question in page.locator(".evaluation-question--rating").all():
        question.locator("label.quiz-choice").nth(4).click()
    page.locator(".evaluation-question--choice label.quiz-choice").first.click()
    page.locator(".evaluation-question--text textarea").fill("อยากได้กรณีศึกษาเพิ่ม")
    page.locator(".evaluation-form button[type=submit]").click()
    page.wait_for_url(base + course.url)

    # Only now the certificate: one, shown on the course page.
    expect(page.locator(".course-completed a[href$='.pdf']")).to_be_visible()
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1
    assert EvaluationDone.objects.filter(volunteer=volunteer, course=course).exists()
    assert EvaluationAnswer.objects.filter(course=course).count() == answers_before + 1

    # Going back and sending again is refused, in Thai, and records nothing.
    page.goto(base + f"/learn/evaluations/{course.pk}/")
    expect(page.locator(".evaluation__message")).to_contain_text("ท่านตอบแบบประเมินของหลักสูตรนี้แล้ว")
    assert EvaluationAnswer.objects.filter(course=course).count() == answers_before + 1
