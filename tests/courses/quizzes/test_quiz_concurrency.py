"""Submitting or starting a quiz attempt at the same moment from several connections gives one
attempt, graded once (on SQLite's file database and on PostgreSQL)."""

import uuid

import pytest

from courses.learning import completion
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, QuizAttempt, QuizResult
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.learning.test_learning_concurrency import at_once
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import make_course_tree, make_volunteer

RIGHT = {"q-single": "c-right", "q-multi": ["m-a", "m-c"], "q-tf": "true", "q-short": "1300"}


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_grades_one_attempt_once(monkeypatch):
    calls = []
    # Only this listener: the test is about quizzes, not what other apps do on a completion.
    monkeypatch.setattr(completion, "_listeners", {"test": lambda **kwargs: calls.append(kwargs)})
    course, module, lesson = make_course_tree(title="Quiz race")
    quiz = add_quiz(module, pass_mark=50)
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    lesson_complete(volunteer=user, lesson=lesson)
    attempt = quiz_attempt_start(volunteer=user, quiz=quiz, token=uuid.uuid4())

    results = at_once(lambda: quiz_attempt_submit(attempt=attempt, answers=RIGHT))

    assert {result.pk for result in results} == {attempt.pk}
    assert {result.score for result in results} == {results[0].score}
    assert QuizAttempt.objects.filter(volunteer=user).count() == 1
    assert QuizResult.objects.filter(volunteer=user).count() == 1
    assert CourseCompletion.objects.filter(volunteer=user).count() == 1
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_start_with_one_token_makes_one_attempt():
    course, module, _lesson = make_course_tree(title="Quiz race")
    quiz = add_quiz(module)
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    token = uuid.uuid4()

    results = at_once(lambda: quiz_attempt_start(volunteer=user, quiz=quiz, token=token))

    assert len({result.pk for result in results}) == 1
    assert QuizAttempt.objects.filter(volunteer=user).count() == 1
