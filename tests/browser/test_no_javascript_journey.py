"""With JavaScript switched off, a volunteer does everything: sign up with consent, confirm the
email, enrol, read a lesson and mark it done, take the quiz and see the result, complete the
course, download the certificate PDF and open its public verification page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.models import CourseCompletion
from tests.browser.steps import sign_up
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import make_course_tree, make_privacy_notice

pytestmark = pytest.mark.browser

EMAIL = "pim.nojs@example.org"
PASSWORD = "pim-reads-without-scripts-2026"


def test_the_whole_volunteer_journey_works_without_javascript(live_server, browser, tmp_path):
    make_privacy_notice()
    course, module, lesson = make_course_tree(title="หลักสูตรไม่ใช้สคริปต์")
    quiz = add_quiz(module)
    mail.outbox.clear()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    # Scripts really are off in this browser.
    page.set_content("<title>before</title><script>document.title = 'ran'</script>")
    assert page.title() == "before"

    # Sign up, giving consent to the privacy notice.
    sign_up(page, live_server.url, email=EMAIL, password=PASSWORD, confirm=False)

    # Confirm the address with the link from the email.
    confirmation = next(message for message in mail.outbox if message.to == [EMAIL])
    link = re.search(r"https?://\S+(/accounts/confirm/\S+)", confirmation.body).group(1)
    page.goto(live_server.url + link)
    page.locator("main .card form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/accounts/profile/")
    expect(page.locator(".banner")).to_have_count(0)

    # Enrol: the first lesson opens; read it and mark it done: the quiz is next.
    page.goto(live_server.url + course.url)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_url(live_server.url + lesson.url)
    expect(page.locator("#lesson-body")).to_contain_text("Lesson text")
    page.locator("form.lesson__complete button[type=submit]").click()
    page.wait_for_url(live_server.url + quiz.url)

    # Take the quiz: every kind of question is a plain form control.
    page.locator(".quiz-start form button[type=submit]").click()
    page.get_by_label("The person", exact=True).check()
    page.get_by_label("Help line number", exact=True).check()
    page.get_by_label("Embassy hours", exact=True).check()
    page.locator("input[name=answer-q-tf][value=true]").check()
    page.fill("input[name=answer-q-short]", "1300")
    page.select_option("select[name=answer-q-match-p-1]", "Firefighters")
    page.select_option("select[name=answer-q-match-p-2]", "Police")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator("#quiz-result")).to_contain_text("100%")
    assert CourseCompletion.objects.filter(volunteer__email=EMAIL, course=course).count() == 1

    # The course is complete; the certificate is on the certificates page, as a PDF.
    page.goto(live_server.url + course.url)
    expect(page.locator(".course-action__completed")).to_be_visible()
    page.goto(live_server.url + "/learn/certificates/")
    with page.expect_download() as download:
        page.locator(".certificate-card__links a.button").click()
    pdf = tmp_path / "certificate.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # Its public verification page says it is valid.
    certificate = Certificate.objects.get(volunteer__email=EMAIL, course=course)
    page.locator(f"a[href='/verify/{certificate.grouped_token}/']").click()
    expect(page.locator(".verify__status")).to_contain_text("This certificate is valid")
    context.close()
