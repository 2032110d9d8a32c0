"""The demo trainer previews a demo quiz in the admin and sees its rules and questions as volunteers
will, then tries it from the preview: a wrong attempt shows the feedback volunteers get and, for the
trainer only, the correct answers; a right one passes. Nothing is recorded."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.models import CourseCompletion, CoursePage, QuizAttempt, QuizPage, QuizResult
from tests.conftest import axe_violations
from tests.factories import english_admin
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TRAINER = "trainer@example.org"


def sign_in_to_the_admin(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/admin/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(base_url + "/admin/")


def test_the_demo_trainer_previews_a_demo_quiz_and_tries_it_without_recording_anything(
    demo, live_server, page
):
    trainer = english_admin(get_user_model().objects.get(email=TRAINER))
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    quiz = QuizPage.objects.descendant_of(course).live().order_by("path").first()
    try_url = f"/admin/courses/quiz/{quiz.pk}/try/"

    sign_in_to_the_admin(page, live_server.url, TRAINER)
    page.goto(f"{live_server.url}/admin/pages/{quiz.pk}/edit/")
    # The page header's actions offer "Try this quiz".
    page.locator("header button.w-dropdown__toggle[aria-label='Actions']").click()
    expect(page.get_by_role("link", name="Try this quiz")).to_have_attribute("href", try_url)
    page.keyboard.press("Escape")

    # The preview: the rules and every question, as volunteers will see them while answering.
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator(".w-preview__iframe, iframe[id^='w-preview-iframe']").first
    expect(preview.get_by_text(f"เกณฑ์ผ่าน: {quiz.pass_mark}%")).to_be_visible()
    expect(preview.locator(".quiz-question")).to_have_count(len(quiz.questions))
    expect(preview.get_by_text("สายด่วน พม. คือหมายเลขใด (ตัวเลขสี่หลัก)")).to_be_visible()
    expect(preview.get_by_label("เมื่อเขายินยอม หรือเมื่อมีอันตรายต่อชีวิต")).to_be_visible()
    expect(preview.get_by_text("ทบทวนบทเรียน")).to_have_count(0)  # no feedback before submitting
    expect(preview.locator("button[value=submit]")).to_be_disabled()

    # "Try this quiz" from the preview opens the trial in a new tab.
    with page.context.expect_page() as opened:
        preview.get_by_role("link", name="ทดลองทำแบบทดสอบนี้").click()
    trial = opened.value
    trial.wait_for_load_state()
    assert trial.url == live_server.url + try_url
    assert axe_violations(trial) == []

    # A wrong attempt: the marks and feedback volunteers see right after, no answers; the key below.
    trial.get_by_label("เมื่อเพื่อนอาสาสมัครถาม").check()
    trial.locator("input[name='answer-ethics-decide'][value=true]").check()
    trial.get_by_label("รับทุกกรณีคนเดียว").check()
    trial.fill("input[name='answer-ethics-hotline']", "1669")
    trial.get_by_role("button", name="Submit answers").click()
    trial.wait_for_load_state()
    result = trial.locator("#quiz-result")
    expect(result).to_contain_text("0%")
    expect(result.get_by_text("ทบทวนบทเรียน “จริยธรรมและการรักษาความลับ”")).to_be_visible()
    expect(result.locator(".quiz-review__correct")).to_have_count(0)
    expect(trial.locator("#quiz-answer-key .quiz-review__correct")).to_have_count(len(quiz.questions))
    assert axe_violations(trial) == []

    # Try again and pass: once passed, volunteers see everything.
    trial.get_by_role("link", name="Try again").click()
    trial.get_by_label("เมื่อเขายินยอม หรือเมื่อมีอันตรายต่อชีวิต").check()
    trial.locator("input[name='answer-ethics-decide'][value=false]").check()
    trial.get_by_label("พักเมื่อรู้สึกเหนื่อยล้า").check()
    trial.get_by_label("คุยกับผู้ประสานงานเมื่อหนักใจ").check()
    trial.fill("input[name='answer-ethics-hotline']", "๑๓๐๐")
    trial.get_by_role("button", name="Submit answers").click()
    trial.wait_for_load_state()
    expect(trial.locator("#quiz-result")).to_contain_text("100%")
    expect(trial.locator("#quiz-result .quiz-review__correct")).to_have_count(len(quiz.questions))

    assert not QuizAttempt.objects.filter(volunteer=trainer).exists()
    assert not QuizResult.objects.filter(volunteer=trainer).exists()
    assert not CourseCompletion.objects.filter(volunteer=trainer).exists()
    assert not Certificate.objects.filter(volunteer=trainer).exists()
