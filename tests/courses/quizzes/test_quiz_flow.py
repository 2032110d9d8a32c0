"""Volunteers take quizzes through the page: start, save, submit once, review, retry; the course
completes when every lesson is done and every quiz passed."""

import itertools
import re
import uuid

import pytest

from courses.learning.outlines import course_learning_outline
from courses.learning.services import course_enrol, lesson_complete
from courses.models import (
    CompletionRule,
    CourseCompletion,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizResult,
)
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, WRONG_POST, add_quiz, as_posted
from tests.factories import enrolled_reader, make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db


def start(client, quiz):
    token = str(uuid.uuid4())
    response = client.post(quiz.url, {"action": "start", "token": token})
    assert response.status_code == 302
    return QuizAttempt.objects.get(token=token)


def submit(client, quiz, attempt, answers, action="submit"):
    """Post `answers` (choices by id) as the attempt's form sends them."""
    return client.post(
        quiz.url, {"action": action, "attempt": str(attempt.token), **as_posted(answers, attempt.token)}
    )


def test_a_volunteer_fails_retries_passes_and_the_course_completes(client):
    course, module, lesson = make_course_tree()
    quiz = add_quiz(module)
    user = enrolled_reader(client, course)
    lesson_complete(volunteer=user, lesson=lesson)
    assert not CourseCompletion.objects.filter(volunteer=user).exists()

    attempt = start(client, quiz)
    response = submit(client, quiz, attempt, WRONG_POST)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.passed is False and attempt.score == 0
    assert course_learning_outline(user=user, course=course).items[-1].state == "failed"
    assert not CourseCompletion.objects.filter(volunteer=user).exists()

    page = client.get(quiz.url).content.decode()
    assert 'class="quiz-result__score"' in page and "0%" in page and "0.00%" not in page

    second = start(client, quiz)
    assert second.number == 2
    submit(client, quiz, second, RIGHT_POST)
    second.refresh_from_db()
    assert second.passed is True and second.score == 100
    assert QuizResult.objects.get(volunteer=user, quiz=quiz).passed
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()
    assert course_learning_outline(user=user, course=course).items[-1].state == "passed"
    # Marks per question read as whole numbers where they are whole: "1 of 1 points", not "1.00".
    review = client.get(quiz.url).content.decode().split('id="quiz-result"', 1)[1]
    assert not re.search(r"\d\.00\b", review)


def test_saved_answers_come_back_in_the_form_and_are_graded_on_submit(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    enrolled_reader(client, course)
    attempt = start(client, quiz)
    assert submit(client, quiz, attempt, {"answer-q-short": "๑๓๐๐"}, action="save").status_code == 302
    attempt.refresh_from_db()
    assert attempt.answers["q-short"] == "๑๓๐๐" and attempt.state == QuizAttempt.State.IN_PROGRESS
    assert 'value="๑๓๐๐"' in client.get(quiz.url).content.decode()


@pytest.mark.parametrize("rule", list(CompletionRule))
def test_an_outline_counts_from_the_course_structure_what_its_items_say_in_every_state(rule):
    # The dashboard counts from the kept structure and builds item objects only for a page that
    # lists them: both must agree, for lessons done or not, optional ones, and quizzes not taken,
    # failed or passed.
    course, module, first = make_course_tree()
    optional = LessonPage(title="Extra", slug="extra", body=[], is_required=False)
    module.add_child(instance=optional)
    optional.save_revision().publish()
    quiz = add_quiz(module)
    course.completion_rule = rule
    course.save_revision().publish()
    seen = set()
    for first_done, optional_done, quiz_passed in itertools.product(
        (False, True), (False, True), (None, False, True)
    ):
        user = make_volunteer().user
        course_enrol(volunteer=user, course=course)
        for lesson, done in ((first, first_done), (optional, optional_done)):
            if done:
                LessonProgress.objects.create(volunteer=user, lesson=lesson)
        if quiz_passed is not None:
            QuizResult.objects.create(
                volunteer=user, quiz=quiz, grade=100 if quiz_passed else 0, passed=quiz_passed
            )
        counted = course_learning_outline(user=user, course=course)
        listed = course_learning_outline(user=user, course=course)
        items = [item for module in listed.modules for item in module.items]
        assert "modules" not in counted.__dict__
        facts = (counted.done_count, counted.total_count, counted.requirements_met, counted.action)
        assert facts == (
            sum(item.done for item in items if item.counts),
            sum(item.counts for item in items),
            all(item.done for item in items if item.counts),
            "start" if not any(item.done for item in items) else "continue",
        )
        assert counted.next_item == next((item for item in items if not item.done), None)
        assert counted.action_item == (items[0] if counted.action == "start" else counted.next_item)
        assert "modules" not in counted.__dict__
        seen.add(facts)
    assert len(seen) >= 4  # not started, started on an optional lesson, halfway, all done
