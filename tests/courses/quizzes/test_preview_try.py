"""Trying a quiz in the admin: a trainer who may edit it answers, submits, and sees the marks and
feedback a volunteer would see under the quiz's review rules, with the answer key besides; the real
grading runs and nothing is recorded. Only those who may edit the quiz try it, with CSRF on."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import GroupPagePermission

from certificates.models import Certificate
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, Enrollment, LessonProgress, QuizAttempt, QuizResult
from tests.courses.quizzes.quiz_helpers import (
    ACCEPTED,
    CHOICE_FEEDBACK,
    RIGHT_POST,
    SECRET_FEEDBACK,
    WRONG_POST,
    add_quiz,
    as_chosen_in,
)
from tests.factories import english_admin, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


def try_url(quiz) -> str:
    return f"/admin/courses/quiz/{quiz.pk}/try/"


def form_fields(html: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" value="(\d*)"', html).group(1) for name in ("revision", "seed")}


def records() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (QuizAttempt, QuizResult, LessonProgress, CourseCompletion, Certificate, Enrollment)
    }


@pytest.fixture
def trainer_client(client):
    trainer = english_admin(make_user(group="Trainers"))
    client.force_login(trainer)
    client.user = trainer
    return client


@pytest.fixture
def last_step_quiz(trainer_client):
    """A quiz that is all the trainer has left of a course: a real pass would complete the course
    and issue a certificate."""
    course, module, lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    course_enrol(volunteer=trainer_client.user, course=course)
    lesson_complete(volunteer=trainer_client.user, lesson=lesson)
    return quiz


def test_trying_a_quiz_shows_its_questions_without_the_answer_key(trainer_client, last_step_quiz):
    response = trainer_client.get(try_url(last_step_quiz))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Who decides what happens next?" in html and "Pass mark: 70%" in html
    # Choices carry opaque values, never their ids (which would give away the authoring order).
    assert re.search(r'name="answer-q-single" value="[0-9a-f]{24}"', html) and "c-right" not in html
    for secret in (SECRET_FEEDBACK, CHOICE_FEEDBACK, ACCEPTED, "๑๓๐๐"):
        assert secret not in html
    assert "Nothing is recorded" in html


def test_a_right_trial_is_graded_passed_with_the_later_review_and_records_nothing(
    trainer_client, last_step_quiz
):
    before = records()
    html = trainer_client.get(try_url(last_step_quiz)).content.decode()

    response = trainer_client.post(
        try_url(last_step_quiz), {"action": "submit", **form_fields(html), **as_chosen_in(RIGHT_POST, html)}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Score: 100%" in html and "Passed" in html
    assert html.count("✓ Correct") == 5
    # Passed: a volunteer's review is the later one, which shows the answers and feedback too.
    assert "Correct answer: The person" in html and SECRET_FEEDBACK in html
    assert records() == before
    assert not QuizAttempt.objects.filter(volunteer=trainer_client.user).exists()
    assert not CourseCompletion.objects.exists() and not Certificate.objects.exists()


def test_a_wrong_trial_shows_what_the_volunteer_sees_and_the_answer_key_for_the_trainer(
    trainer_client, last_step_quiz
):
    before = records()
    html = trainer_client.get(try_url(last_step_quiz)).content.decode()

    html = trainer_client.post(
        try_url(last_step_quiz), {"action": "submit", **form_fields(html), **as_chosen_in(WRONG_POST, html)}
    ).content.decode()

    volunteer, key = html.split('id="quiz-answer-key"')
    # Right after an attempt volunteers see the score, the marks and the feedback, no answers.
    assert "Score: 0%" in volunteer and "Not passed" in volunteer
    assert volunteer.count("✗ Incorrect") == 5
    assert SECRET_FEEDBACK in volunteer
    assert "Correct answer" not in volunteer
    # The trainer also gets the correct answers.
    assert "Correct answer: The person" in key
    assert f"Correct answer: ๑๓๐๐ / {ACCEPTED}" in key
    assert records() == before


def test_the_review_rules_decide_what_the_volunteers_part_shows(trainer_client):
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, review_after_score=False, review_after_marks=False, review_after_feedback=False)
    html = trainer_client.get(try_url(quiz)).content.decode()

    html = trainer_client.post(
        try_url(quiz), {"action": "submit", **form_fields(html), **as_chosen_in(WRONG_POST, html)}
    ).content.decode()

    volunteer, key = html.split('id="quiz-answer-key"')
    assert "Score:" not in volunteer and "Incorrect" not in volunteer and SECRET_FEEDBACK not in volunteer
    assert "Score: 0%" in key and "✗ Incorrect" in key and SECRET_FEEDBACK in key


def test_a_trial_grades_the_latest_draft_and_the_questions_it_drew(trainer_client):
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module, draw_count=2, shuffle_questions=True, shuffle_choices=True)
    draft = quiz.get_latest_revision_as_object()
    draft.pass_mark = 40
    draft.save_revision()  # not published

    html = trainer_client.get(try_url(quiz)).content.decode()
    assert "Pass mark: 40%" in html
    assert html.count('class="card quiz-question') == 2
    shown = set(re.findall(r'name="(answer-q-[a-z]+)', html))
    answers = {name: value for name, value in RIGHT_POST.items() if name.startswith(tuple(shown))}

    html = trainer_client.post(
        try_url(quiz), {"action": "submit", **form_fields(html), **as_chosen_in(answers, html)}
    ).content.decode()

    assert "Score: 100%" in html
    assert html.split('id="quiz-result"')[1].count('class="quiz-review__question') == 2
    assert QuizAttempt.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"answer-q-other": "x"},  # a question the trial did not show
        {"answer-q-single": "not-a-choice"},
        {"seed": "-1"},
        {"seed": "abc"},
        {"revision": "999999"},
        {"action": "start"},
    ],
)
def test_a_trial_post_that_does_not_match_the_form_is_a_clear_400(trainer_client, change):
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    html = trainer_client.get(try_url(quiz)).content.decode()

    response = trainer_client.post(
        try_url(quiz), {"action": "submit", **form_fields(html), **as_chosen_in(RIGHT_POST, html), **change}
    )

    assert response.status_code == 400
    assert "This form does not match your quiz" in response.content.decode()


def test_a_revision_of_another_quiz_is_refused(trainer_client):
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    other = add_quiz(module, slug="other")
    html = trainer_client.get(try_url(other)).content.decode()
    response = trainer_client.post(
        try_url(quiz), {"action": "submit", **form_fields(html), **as_chosen_in(RIGHT_POST, html)}
    )
    assert response.status_code == 400


def test_only_people_who_may_edit_the_quiz_try_it(client):
    course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    # A trainer whose group may use the admin but edit nothing in this course.
    outsiders = Group.objects.create(name="Other trainers")
    outsiders.permissions.add(Permission.objects.get(codename="access_admin"))
    assert not GroupPagePermission.objects.filter(group=outsiders).exists()
    outsider = make_user()
    outsider.groups.add(outsiders)

    for user in (make_user(group="Staff"), outsider):
        client.force_login(user)
        response = client.get(try_url(quiz))
        assert response.status_code == 403
        assert "เฉพาะผู้มีสิทธิ์แก้ไขแบบทดสอบนี้" in response.content.decode()
        assert client.post(try_url(quiz), {"action": "submit", "seed": "1", **RIGHT_POST}).status_code == 403

    client.force_login(make_volunteer().user)
    assert client.get(try_url(quiz))["Location"].startswith("/admin/login/")
    client.logout()
    assert client.get(try_url(quiz))["Location"].startswith("/admin/login/")
    client.force_login(make_user(group="Trainers"))
    assert client.get(f"/admin/courses/quiz/{course.pk}/try/").status_code == 404  # not a quiz
    assert QuizAttempt.objects.count() == 0


def test_a_trial_post_without_the_csrf_token_is_refused():
    _course, module, _lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(group="Trainers"))
    html = client.get(try_url(quiz)).content.decode()
    response = client.post(
        try_url(quiz), {"action": "submit", **form_fields(html), **as_chosen_in(RIGHT_POST, html)}
    )
    assert response.status_code == 403
    assert "csrfmiddlewaretoken" in html


def test_the_quiz_page_in_the_admin_offers_try_this_quiz_to_those_who_may_edit_it(trainer_client):
    _course, module, lesson = make_course_tree(title="Basics")
    quiz = add_quiz(module)
    assert f'href="{try_url(quiz)}"' in trainer_client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    assert f'href="{try_url(quiz)}"' in trainer_client.get(f"/admin/pages/{module.pk}/").content.decode()
    assert "/try/" not in trainer_client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
