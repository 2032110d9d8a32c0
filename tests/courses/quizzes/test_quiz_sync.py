"""Quiz answers submitted offline and sent through the sync endpoint (courses.quizzes.sync): graded
once, by the rules of the quiz form, only for the volunteer's own attempt while it is still open."""

import datetime
import uuid

import pytest
from django.utils import timezone

from courses.models import QuizAttempt, QuizResult, SyncedAction
from tests.courses.learning.sync_helpers import SYNC, SYNC_EN, send
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, WRONG_POST, add_quiz, as_posted
from tests.courses.quizzes.test_quiz_flow import start
from tests.factories import enrolled_reader, make_course_tree
from training.pwa import account_key

pytestmark = pytest.mark.django_db

CLOSED = (
    "This attempt had already closed when your answers arrived, so they were not graded. Your answers "
    "are kept on this phone."
)
NOT_FOUND = "This quiz attempt was not found in your account, so the answers were not graded."
MISMATCH = "This form does not match your quiz. Reload the quiz page and try again."


def form_fields(attempt, answers: dict, *, offline: bool = True) -> list[list[str]]:
    """The quiz form's fields as the phone keeps them: every field but the CSRF token."""
    fields = [["attempt", str(attempt.token)], ["action", "submit"]]
    if offline:
        fields.append(["offline", "1"])
    for name, value in as_posted(answers, attempt.token).items():
        for one in [value] if isinstance(value, str) else value:
            fields.append([name, one])
    return fields


def quiz_submit(attempt_token, fields, *, action_id: str | None = None) -> dict:
    return {
        "id": action_id or str(uuid.uuid4()),
        "type": "quiz_submit",
        "attempt": str(attempt_token),
        "fields": fields,
        "at": "2026-12-04T10:00:00+07:00",
    }


@pytest.fixture
def quiz_setup(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    user = enrolled_reader(client, course)
    return quiz, user


def test_answers_submitted_offline_are_graded_with_the_phones_answers(client, quiz_setup):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    action = quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST))
    response = send(client, account_key(user), [action])
    assert response.status_code == 200
    assert response.json() == {"results": [{"id": action["id"], "status": "done", "message": ""}]}
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.score == 100 and attempt.passed
    assert QuizResult.objects.get(volunteer=user, quiz=quiz).passed
    assert SyncedAction.objects.get(volunteer=user).kind == "quiz_submit"


def test_replaying_a_quiz_submission_answers_duplicate_and_grades_once(client, quiz_setup):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    action = quiz_submit(attempt.token, form_fields(attempt, WRONG_POST))
    assert send(client, account_key(user), [action]).json()["results"][0]["status"] == "done"
    attempt.refresh_from_db()
    graded = (attempt.finished_at, attempt.score, attempt.answers)

    again = send(client, account_key(user), [action]).json()["results"]
    assert again == [{"id": action["id"], "status": "duplicate", "message": ""}]
    attempt.refresh_from_db()
    assert (attempt.finished_at, attempt.score, attempt.answers) == graded
    assert QuizAttempt.objects.filter(volunteer=user, state=QuizAttempt.State.FINISHED).count() == 1


def test_another_volunteers_attempt_is_refused_as_an_unknown_one_and_left_alone(client, quiz_setup):
    quiz, user = quiz_setup
    theirs = start(client, quiz)
    intruder = enrolled_reader(client, quiz.get_parent().get_parent().specific)
    stolen = quiz_submit(theirs.token, form_fields(theirs, RIGHT_POST))
    unknown = quiz_submit(uuid.uuid4(), form_fields(theirs, RIGHT_POST))
    results = send(client, account_key(intruder), [stolen, unknown], url=SYNC_EN).json()["results"]
    assert results == [
        {"id": stolen["id"], "status": "refused", "message": NOT_FOUND},
        {"id": unknown["id"], "status": "refused", "message": NOT_FOUND},
    ]
    theirs.refresh_from_db()
    assert theirs.state == QuizAttempt.State.IN_PROGRESS and theirs.answers == {}
    assert not QuizResult.objects.exists()
    assert user != intruder


def test_an_attempt_token_that_is_not_a_uuid_is_refused_as_unknown(client, quiz_setup):
    _quiz, user = quiz_setup
    result = send(client, account_key(user), [quiz_submit("nope", [])], url=SYNC_EN).json()["results"][0]
    assert (result["status"], result["message"]) == ("refused", NOT_FOUND)


def test_an_attempt_closed_before_the_answers_arrived_is_not_graded_again(client, quiz_setup):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    # Submitted from the computer meanwhile, with other answers.
    client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(WRONG_POST, attempt.token)}
    )
    attempt.refresh_from_db()
    graded = (attempt.finished_at, attempt.score)
    action = quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST))
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert result == {"id": action["id"], "status": "refused", "message": CLOSED}
    attempt.refresh_from_db()
    assert (attempt.finished_at, attempt.score) == graded and attempt.score == 0
    # Sent again: refused again with the same reason.
    assert send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0] == result


def test_past_the_time_limit_an_abandoning_quiz_closes_the_attempt_and_refuses_the_answers(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module, time_limit_minutes=10, overdue_handling="abandon")
    user = enrolled_reader(client, course)
    attempt = start(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    action = quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST, offline=False))
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "The time limit had passed, so the attempt was closed without a grade."
    # The closing stands (the quiz's rule), though the phone's answers were refused.
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.ABANDONED and attempt.score is None
    row = SyncedAction.objects.get(volunteer=user)
    assert (row.outcome, row.message) == ("refused", result["message"])


def test_past_the_time_limit_the_saved_answers_are_graded_and_the_phones_refused(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module, time_limit_minutes=10, grace_seconds=60)
    user = enrolled_reader(client, course)
    attempt = start(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=90), answers={"q-tf": "true"}
    )
    action = quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST, offline=False))
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == (
        "The time limit had passed, so the attempt was graded with the answers saved before it; the "
        "answers from this phone were not used."
    )
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.points == 1 and not attempt.passed


@pytest.mark.parametrize(
    "tamper",
    [
        lambda fields: [*fields, ["score", "100"]],
        lambda fields: [*fields, ["answer-q-other", "x"]],
        lambda fields: [[name, "c-right" if name == "answer-q-single" else value] for name, value in fields],
        lambda fields: [[name, "save" if name == "action" else value] for name, value in fields],
        lambda fields: [[name, str(uuid.uuid4()) if name == "attempt" else value] for name, value in fields],
    ],
    ids=["a score", "another question", "a choice id", "not a submit", "another attempt"],
)
def test_fields_the_attempt_did_not_show_are_refused_and_the_attempt_stays_open(client, quiz_setup, tamper):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    action = quiz_submit(attempt.token, tamper(form_fields(attempt, RIGHT_POST)))
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert (result["status"], result["message"]) == ("refused", MISMATCH)
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS and attempt.score is None


@pytest.mark.parametrize(
    "fields",
    [None, "attempt=x", [["attempt"]], [["attempt", 1]], [{"attempt": "x"}], [["a", "b", "c"]]],
    ids=["missing", "text", "one part", "a number", "an object", "three parts"],
)
def test_fields_not_in_the_forms_shape_are_refused_as_unreadable(client, quiz_setup, fields):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    action = quiz_submit(attempt.token, fields)
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "This saved action could not be read, so nothing was recorded."
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_an_unpublished_quiz_refuses_the_answers_as_missing(client, quiz_setup):
    quiz, user = quiz_setup
    attempt = start(client, quiz)
    quiz.unpublish()
    action = quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST))
    result = send(client, account_key(user), [action], url=SYNC_EN).json()["results"][0]
    assert (result["status"], result["message"]) == (
        "refused",
        "This page does not exist or is not published.",
    )
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_a_lesson_and_a_quiz_in_one_queue_are_each_done(client, quiz_setup):
    from courses.models import LessonProgress
    from tests.courses.learning.sync_helpers import lesson_done

    quiz, user = quiz_setup
    lesson = quiz.get_prev_sibling().specific
    attempt = start(client, quiz)
    actions = [lesson_done(lesson.pk), quiz_submit(attempt.token, form_fields(attempt, RIGHT_POST))]
    results = send(client, account_key(user), actions, url=SYNC).json()["results"]
    assert [result["status"] for result in results] == ["done", "done"]
    assert LessonProgress.objects.filter(volunteer=user, lesson=lesson).exists()
    assert QuizResult.objects.get(volunteer=user, quiz=quiz).passed


def test_the_quiz_form_posted_online_accepts_the_offline_field(client, quiz_setup):
    quiz, _user = quiz_setup
    attempt = start(client, quiz)
    response = client.post(
        quiz.url,
        {
            "action": "submit",
            "attempt": str(attempt.token),
            "offline": "1",
            **as_posted(RIGHT_POST, attempt.token),
        },
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.score == 100
