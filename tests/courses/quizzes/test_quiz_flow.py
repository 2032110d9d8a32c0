"""Volunteers take quizzes through the page: start, save, submit once, review, retry; the course
completes when every lesson is done and every quiz passed."""

import re
import uuid

import pytest

from courses.learning.outlines import course_learning_outline
from courses.learning.services import lesson_complete
from courses.models import CourseCompletion, QuizAttempt, QuizResult
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, WRONG_POST, add_quiz, as_posted
from tests.factories import enrolled_reader, make_course_tree

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
