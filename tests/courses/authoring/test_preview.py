"""Trainers preview quizzes, courses and modules in the admin and see what volunteers will see: a
quiz's rules and every question (never its answer key), a draft course's modules and lessons not
published yet, and no enrol button that works. Previews record nothing and never reach the
outlines kept for volunteers."""

import re
import uuid

import pytest
from django.test import Client
from wagtail.models import Locale

from courses.learning.services import course_enrol
from courses.models import (
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
    QuizPage,
    QuizResult,
)
from courses.translation.services import page_translation_sync
from tests.courses.quizzes.quiz_helpers import (
    ACCEPTED,
    CHOICE_FEEDBACK,
    SECRET_FEEDBACK,
    add_quiz,
    question_stream,
)
from tests.factories import catalog_page, enrolled_reader, make_course_tree, make_user, make_volunteer
from training.content_version import content_cache

pytestmark = pytest.mark.django_db

PROMPTS = [
    "Who decides what happens next?",
    "Which are safe to share?",
    "Listening is a skill.",
    "Which number do you call?",
    "Match.",
]
CHOICES = ["The person", "The volunteer", "Help line number", "Shelter address", "Embassy hours"]


def nothing_recorded() -> bool:
    return not any(
        model.objects.exists()
        for model in (QuizAttempt, QuizResult, LessonProgress, CourseCompletion, Enrollment)
    )


def assert_no_answer_key(html: str) -> None:
    for secret in (SECRET_FEEDBACK, CHOICE_FEEDBACK, ACCEPTED, "๑๓๐๐", "Firefighters</label>"):
        assert secret not in html
    assert not re.search(r"correct|answer_key|accepted", html.split("<main", 1)[1].split("</main>")[0])


def draft_quiz(module, **rules) -> QuizPage:
    quiz = QuizPage(title="Draft quiz", slug="draft-quiz", questions=question_stream(), live=False, **rules)
    module.add_child(instance=quiz)
    quiz.save_revision()
    return quiz


# --- Quizzes ------------------------------------------------------------------------------------


def test_a_quiz_preview_shows_its_rules_and_every_question_as_the_attempt_form_shows_them():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, pass_mark=80, max_attempts=3, time_limit_minutes=15, wait_minutes=10)

    html = quiz.make_preview_request().content.decode()

    assert "เกณฑ์ผ่าน: 80%" in html
    assert "ทำได้: 3 ครั้ง · เหลือ 3 ครั้ง" in html
    assert "เวลาจำกัด: 15 นาที" in html
    for text in [*PROMPTS, *CHOICES, "Fire", "Crime"]:
        assert text in html
    assert html.count('class="card quiz-question') == len(PROMPTS)
    assert re.search(r'name="answer-q-single" value="[0-9a-f]{24}"', html) and "c-right" not in html
    assert "ตัวอย่างการแสดงผล" in html  # marked as a preview
    assert_no_answer_key(html)
    assert nothing_recorded()


def test_a_quiz_preview_form_cannot_be_sent_and_names_no_attempt():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    html = quiz.make_preview_request().content.decode()
    form = html.split('id="quiz-form"', 1)[1].split("</form>")[0]
    assert 'method="post"' not in html.split('id="quiz-form"', 1)[0].rsplit("<form", 1)[1]
    assert "csrfmiddlewaretoken" not in form and 'name="attempt"' not in form
    assert form.count(" disabled>") == 2  # save and submit


def test_the_preview_of_a_draft_quiz_shows_the_rules_and_questions_being_edited():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = draft_quiz(module, pass_mark=60)
    edited = quiz.get_latest_revision_as_object()
    edited.pass_mark = 90
    edited.questions = question_stream()[:2]

    html = edited.make_preview_request().content.decode()

    assert "เกณฑ์ผ่าน: 90%" in html
    assert PROMPTS[0] in html and PROMPTS[1] in html and PROMPTS[2] not in html
    assert_no_answer_key(html)
    assert nothing_recorded()


def test_a_new_quiz_previews_before_its_first_save():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = QuizPage(title="New quiz", slug="new-quiz", questions=question_stream(), pass_mark=75)
    quiz.depth = module.depth + 1
    quiz.path = module.get_last_child()._inc_path()
    quiz.locale = module.locale

    html = quiz.make_preview_request().content.decode()

    assert "เกณฑ์ผ่าน: 75%" in html and PROMPTS[3] in html
    assert "/try/" not in html  # nothing to try until it is saved


def test_the_preview_before_the_first_attempt_shows_the_rules_and_a_start_button_that_does_nothing():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, pass_mark=80)

    html = quiz.make_preview_request(preview_mode="start").content.decode()

    assert "เกณฑ์ผ่าน: 80%" in html
    assert '<button type="button" class="button" disabled>เริ่มทำแบบทดสอบ</button>' in html
    assert PROMPTS[0] not in html
    assert 'name="action" value="start"' not in html
    assert nothing_recorded()


def test_a_trainer_enrolled_with_an_attempt_open_previews_what_a_new_volunteer_sees():
    course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, max_attempts=2)
    client = Client()
    trainer = make_user(group="Trainers")
    course_enrol(volunteer=trainer, course=course)
    client.force_login(trainer)
    client.post(quiz.url, {"action": "start", "token": str(uuid.uuid4())})
    attempt = QuizAttempt.objects.get()

    html = quiz.make_preview_request(extra_request_attrs={"user": trainer}).content.decode()

    assert str(attempt.token) not in html
    assert "ทำได้: 2 ครั้ง · เหลือ 2 ครั้ง" in html
    assert QuizAttempt.objects.count() == 1


def test_the_preview_says_how_attempts_draw_and_shuffle_the_questions_and_shows_them_all():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, draw_count=2, shuffle_questions=True, shuffle_choices=True)

    html = quiz.make_preview_request().content.decode()

    assert html.count('class="card quiz-question') == len(PROMPTS)
    assert "2 of these 5 questions" in html or "2 ข้อจาก 5 ข้อ" in html
    assert [prompt for prompt in PROMPTS if prompt in html] == PROMPTS


@pytest.fixture
def english_quiz(django_capture_on_commit_callbacks):
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")
    course, module, _lesson = make_course_tree(title="หลักสูตร")
    quiz = add_quiz(module, pass_mark=85)
    with django_capture_on_commit_callbacks(execute=True):
        for page in [course, *course.get_descendants().order_by("path")]:
            page_translation_sync(
                source=page.specific, language_code="en", translate=lambda text: f"EN {text}"
            )
    return quiz, quiz.get_translation(Locale.objects.get(language_code="en")).specific


def test_the_english_quiz_previews_in_english_with_its_questions_and_the_thai_quizs_rules(english_quiz):
    _thai, english = english_quiz

    html = english.make_preview_request().content.decode()

    assert 'lang="en"' in html
    assert "Pass mark: 85%" in html
    for prompt in PROMPTS:
        assert f"EN {prompt}" in html
    assert_no_answer_key(html)
    assert nothing_recorded()


def test_the_thai_quiz_previews_in_thai(english_quiz):
    thai, _english = english_quiz
    html = thai.make_preview_request().content.decode()
    assert "เกณฑ์ผ่าน: 85%" in html and PROMPTS[0] in html and f"EN {PROMPTS[0]}" not in html


# --- Only people who may edit a page preview it --------------------------------------------------


def test_the_admin_preview_of_a_quiz_is_for_those_who_may_edit_it(client):
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = draft_quiz(module, pass_mark=65)
    url = f"/admin/pages/{quiz.pk}/view_draft/"

    client.force_login(make_user(group="Trainers"))
    html = client.get(url).content.decode()
    assert "เกณฑ์ผ่าน: 65%" in html and PROMPTS[0] in html
    assert_no_answer_key(html)

    client.force_login(make_volunteer().user)
    assert client.get(url)["Location"].startswith("/admin/login/")
    client.force_login(make_user(group="Staff"))
    assert client.get(url)["Location"] == "/admin/"
    assert nothing_recorded()


# --- Courses and modules ------------------------------------------------------------------------


def add_draft(parent, page):
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


def test_a_draft_course_preview_lists_its_modules_and_lessons_not_published_yet_and_offers_no_enrol():
    course, module, lesson = make_course_tree(title="Draft course", publish=False)
    second = add_draft(course, ModulePage(title="Second module", slug="second", summary="More"))
    add_draft(second, LessonPage(title="Second lesson", slug="second-lesson", body=[]))
    draft_quiz(second)

    html = course.make_preview_request().content.decode()

    for title in (module.title, lesson.title, "Second module", "Second lesson", "Draft quiz"):
        assert title in html
    assert "This course has no modules yet." not in html and "หลักสูตรนี้ยังไม่มีหน่วยการเรียน" not in html
    assert html.count("state--draft") == 5  # every part is marked as not published yet
    assert f"/learn/courses/{course.pk}/enrol/" not in html
    assert '<button type="button" class="button" disabled>' in html
    assert "ตัวอย่างการแสดงผล" in html
    assert nothing_recorded()


def test_the_preview_of_a_course_someone_is_enrolled_in_shows_a_new_volunteers_view():
    course, _module, lesson = make_course_tree(title="Live course")
    trainer = make_user(group="Trainers")
    course_enrol(volunteer=trainer, course=course)

    html = course.make_preview_request(extra_request_attrs={"user": trainer}).content.decode()

    assert lesson.title in html
    assert "/enrol/" not in html and "progress" not in html.split('class="course-action"')[1][:300]
    assert "state--draft" not in html


def test_a_draft_module_preview_lists_its_lessons_not_published_yet():
    course, _module, _lesson = make_course_tree(title="Live course")
    module = add_draft(course, ModulePage(title="New module", slug="new-module", summary="Soon"))
    add_draft(module, LessonPage(title="New lesson", slug="new-lesson", body=[]))
    draft_quiz(module)

    html = module.make_preview_request().content.decode()

    assert "New lesson" in html and "Draft quiz" in html
    assert "หน่วยการเรียนนี้ยังไม่มีบทเรียน" not in html
    assert "ตัวอย่างการแสดงผล" in html and html.count("state--draft") == 2


def test_a_preview_neither_reads_nor_fills_the_outlines_kept_for_volunteers(client):
    course, _module, lesson = make_course_tree(title="Live course")
    module = add_draft(course, ModulePage(title="Unpublished module", slug="unpublished", summary="Soon"))
    add_draft(module, LessonPage(title="Unpublished lesson", slug="unpublished-lesson", body=[]))
    content_cache.clear()

    # A preview first: it must not leave its outline (with pages not published) for volunteers.
    assert "Unpublished lesson" in course.make_preview_request().content.decode()
    assert "Unpublished lesson" in module.make_preview_request().content.decode()
    assert "Unpublished lesson" in lesson.make_preview_request().content.decode()
    assert content_cache._entries == {} or all(
        "Unpublished" not in repr(value) for value in content_cache._entries.values()
    )
    enrolled_reader(client, course)
    for url in (course.url, lesson.url):
        html = client.get(url).content.decode()
        assert lesson.title in html
        assert "Unpublished" not in html
    kept = dict(content_cache._entries)
    assert kept

    # Then with the volunteers' outline kept: the preview builds its own and changes nothing kept.
    assert "Unpublished lesson" in course.make_preview_request().content.decode()
    assert dict(content_cache._entries) == kept
    assert "Unpublished" not in client.get(course.url).content.decode()


def test_a_course_preview_marks_nothing_when_everything_is_published():
    course, _module, lesson = make_course_tree(title="Live course")
    html = course.make_preview_request().content.decode()
    assert lesson.title in html and "state--draft" not in html
    assert CoursePage.objects.get(pk=course.pk).live
