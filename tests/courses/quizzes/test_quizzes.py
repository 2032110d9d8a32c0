"""Quiz rules and safety: attempt limits and waits, the time limit and grace, review options at both
moments, nothing leaking before submission, tampered posts rejected, submit once, past attempts
unchanged by edits, trainers' statistics, and the privacy registry."""

import datetime
import io
import uuid

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from courses.learning.services import NotEnrolled, course_enrol, lesson_complete
from courses.models import CourseCompletion, QuizAttempt, QuizPage, QuizResult
from courses.quizzes.blocks import QuizQuestionsBlock
from courses.quizzes.records import erase_quizzes, export_quizzes
from courses.quizzes.selectors import quiz_statistics
from courses.quizzes.services import (
    AttemptClosed,
    NoAttemptsLeft,
    WaitBeforeRetry,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from tests.courses.quizzes.quiz_helpers import (
    ACCEPTED,
    CHOICE_FEEDBACK,
    RIGHT_POST,
    SECRET_FEEDBACK,
    WRONG_POST,
    add_quiz,
    question_stream,
)
from tests.courses.quizzes.test_quiz_flow import start, submit
from tests.factories import enrolled_reader, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

RIGHT = {"q-single": "c-right", "q-multi": ["m-a", "m-c"], "q-tf": "true", "q-short": "1300"}
RIGHT["q-match"] = {"p-1": "Firefighters", "p-2": "Police"}


def begin(user, quiz):
    return quiz_attempt_start(volunteer=user, quiz=quiz, token=uuid.uuid4())


@pytest.fixture
def setup():
    course, module, lesson = make_course_tree()
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    return course, module, lesson, user


# --- Rules --------------------------------------------------------------------------------------


def test_the_attempt_limit_is_enforced(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, max_attempts=2)
    for _ in range(2):
        quiz_attempt_submit(attempt=begin(user, quiz), answers={})
    with pytest.raises(NoAttemptsLeft):
        begin(user, quiz)
    assert QuizAttempt.objects.filter(volunteer=user).count() == 2


def test_a_minimum_wait_applies_between_attempts(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, wait_minutes=30)
    first = begin(user, quiz)
    quiz_attempt_submit(attempt=first, answers={})
    with pytest.raises(WaitBeforeRetry):
        begin(user, quiz)
    QuizAttempt.objects.filter(pk=first.pk).update(
        finished_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    assert begin(user, quiz).number == 2


def test_starting_twice_with_one_token_makes_one_attempt_and_an_open_attempt_is_resumed(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    token = uuid.uuid4()
    first = quiz_attempt_start(volunteer=user, quiz=quiz, token=token)
    assert quiz_attempt_start(volunteer=user, quiz=quiz, token=token).pk == first.pk
    assert begin(user, quiz).pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_a_start_sent_again_after_the_attempt_was_submitted_opens_no_new_attempt(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    token = uuid.uuid4()
    first = quiz_attempt_start(volunteer=user, quiz=quiz, token=token)
    quiz_attempt_submit(attempt=first, answers={})
    again = quiz_attempt_start(volunteer=user, quiz=quiz, token=token)
    assert again.pk == first.pk and again.state == QuizAttempt.State.FINISHED
    assert QuizAttempt.objects.count() == 1


def test_a_start_with_the_token_of_someone_elses_attempt_or_another_quizs_is_refused(setup, client):
    course, module, _lesson, user = setup
    quiz, other_quiz = add_quiz(module), add_quiz(module, slug="other")
    outsider = make_volunteer().user
    course_enrol(volunteer=outsider, course=course)
    theirs = begin(outsider, quiz)
    mine_elsewhere = begin(user, other_quiz)
    client.force_login(user)
    for taken in (theirs, mine_elsewhere):
        with pytest.raises(AttemptClosed):
            quiz_attempt_start(volunteer=user, quiz=quiz, token=taken.token)
        response = client.post(quiz.url, {"action": "start", "token": str(taken.token)}, follow=True)
        assert response.status_code == 200
        assert gettext("This attempt is closed.") in response.content.decode()
    assert not QuizAttempt.objects.filter(volunteer=user, quiz=quiz).exists()
    assert QuizAttempt.objects.get(pk=theirs.pk).volunteer == outsider


def test_a_volunteer_must_be_enrolled(setup):
    _course, module, _lesson, _user = setup
    quiz = add_quiz(module)
    with pytest.raises(NotEnrolled):
        begin(make_volunteer().user, quiz)


def test_shuffling_and_drawing_are_fixed_per_attempt(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, shuffle_questions=True, shuffle_choices=True, draw_count=3)
    attempt = begin(user, quiz)
    assert len(attempt.questions) == 3
    ids = [question["id"] for question in attempt.questions]
    assert {question["id"] for question in question_stream()} >= set(ids)
    attempt.refresh_from_db()
    assert [question["id"] for question in attempt.questions] == ids


def test_submitting_within_the_grace_period_is_graded_with_the_posted_answers(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, time_limit_minutes=10, grace_seconds=60)
    attempt = begin(user, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=30))
    attempt = quiz_attempt_submit(attempt=attempt, answers=RIGHT)
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.score == 100


def test_past_the_grace_period_only_the_saved_answers_are_graded(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, time_limit_minutes=10, grace_seconds=60)
    attempt = begin(user, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=90), answers={"q-tf": "true"}
    )
    attempt = quiz_attempt_submit(attempt=attempt, answers=RIGHT)
    assert attempt.state == QuizAttempt.State.FINISHED
    assert attempt.points == 1 and attempt.passed is False


def test_past_the_grace_period_an_attempt_is_abandoned_when_the_rule_says_so(setup, client):
    course, module, _lesson, _user = setup
    quiz = add_quiz(module, time_limit_minutes=10, overdue_handling="abandon")
    reader = enrolled_reader(client, course)
    attempt = begin(reader, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    # Merely opening the page closes it.
    assert client.get(quiz.url).status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.ABANDONED and attempt.score is None
    assert not QuizResult.objects.filter(volunteer=reader).exists()


def test_opening_the_page_grades_an_overdue_attempt_and_shows_it_graded(setup, client):
    """The page reads the attempts without a lock; an overdue one is closed under a lock and the
    attempts read again, so the page shows the graded attempt, not the open one it first read."""
    course, module, _lesson, _user = setup
    quiz = add_quiz(module, time_limit_minutes=10)
    reader = enrolled_reader(client, course)
    attempt = begin(reader, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=5), answers={"q-tf": "true"}
    )
    response = client.get(quiz.url)
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.FINISHED and attempt.points == 1
    assert response.context["standing"].in_progress is None
    assert [a.state for a in response.context["history"]] == [QuizAttempt.State.FINISHED]
    assert response.context["review"].attempt.pk == attempt.pk


def test_submitting_twice_returns_the_same_attempt_and_grades_once(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    attempt = begin(user, quiz)
    first = quiz_attempt_submit(attempt=attempt, answers=RIGHT)
    again = quiz_attempt_submit(attempt=attempt, answers={})
    assert again.pk == first.pk and again.score == 100
    assert QuizAttempt.objects.filter(volunteer=user).count() == 1


def test_a_lower_later_grade_never_undoes_a_completion(setup):
    course, module, lesson, user = setup
    quiz = add_quiz(module, grading_method="last")
    lesson_complete(volunteer=user, lesson=lesson)
    quiz_attempt_submit(attempt=begin(user, quiz), answers=RIGHT)
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()
    quiz_attempt_submit(attempt=begin(user, quiz), answers={})
    assert QuizResult.objects.get(volunteer=user).passed is False
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()


def test_the_course_needs_every_quiz_passed_as_well_as_every_lesson(setup):
    course, module, lesson, user = setup
    quiz = add_quiz(module)
    quiz_attempt_submit(attempt=begin(user, quiz), answers=RIGHT)
    assert not CourseCompletion.objects.filter(volunteer=user).exists()
    lesson_complete(volunteer=user, lesson=lesson)
    assert CourseCompletion.objects.filter(volunteer=user, course=course).exists()


def test_grading_methods_decide_the_result_that_counts(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module, grading_method="average", pass_mark=50)
    quiz_attempt_submit(attempt=begin(user, quiz), answers=RIGHT)
    quiz_attempt_submit(attempt=begin(user, quiz), answers={})
    result = QuizResult.objects.get(volunteer=user, quiz=quiz)
    assert result.grade == 50 and result.passed


def test_editing_a_quiz_never_changes_a_past_attempt(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    attempt = quiz_attempt_submit(attempt=begin(user, quiz), answers=RIGHT)
    stream = question_stream()
    stream[0]["value"]["choices"][0]["value"]["correct"] = False
    stream[0]["value"]["choices"][1]["value"]["correct"] = True
    stream[0]["value"]["prompt"] = "Edited prompt"
    quiz.questions = stream
    quiz.pass_mark = 100
    quiz.save_revision().publish()
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    assert attempt.questions[0]["prompt"] == "Who decides what happens next?"
    assert attempt.rules["pass_mark"] == 70
    stats = quiz_statistics(quiz=QuizPage.objects.get(pk=quiz.pk))
    assert stats.questions[0].prompt == "Who decides what happens next?" and stats.questions[0].correct == 1


# --- Pages: leaks, tampering, review -------------------------------------------------------------


SECRETS = [SECRET_FEEDBACK, CHOICE_FEEDBACK, ACCEPTED, "๑๓๐๐", "correct", "Correct", "answer_key", "feedback"]


def test_nothing_that_tells_the_answer_appears_before_submission(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    enrolled_reader(client, course)
    before = client.get(quiz.url).content.decode()
    assert "Who decides" not in before  # no questions before an attempt starts
    attempt = start(client, quiz)
    assert submit(client, quiz, attempt, {"answer-q-single": "c-wrong"}, action="save").status_code == 302
    html = client.get(quiz.url).content.decode()
    assert "Who decides what happens next?" in html
    for secret in SECRETS:
        assert secret not in html, secret
    # Both matching selects offer the same options in the same order.
    assert html.count('<option value="Firefighters"') == 2 and html.count('<option value="Police"') == 2


def test_tampered_posts_are_rejected_and_change_nothing(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    other_quiz = add_quiz(module, slug="other")
    enrolled_reader(client, course)
    attempt = start(client, quiz)
    other_attempt = start(client, other_quiz)
    outsider = make_volunteer().user
    course_enrol(volunteer=outsider, course=course)
    outsider_attempt = begin(outsider, quiz)
    for fields in (
        {"score": "100", **RIGHT_POST},
        {"answer-not-a-question": "x"},
        {"answer-q-single": "m-a"},
    ):
        assert submit(client, quiz, attempt, fields).status_code == 400
    assert client.post(quiz.url, {"action": "submit", "attempt": str(other_attempt.token)}).status_code == 400
    assert (
        client.post(quiz.url, {"action": "submit", "attempt": str(outsider_attempt.token)}).status_code == 400
    )
    assert client.post(quiz.url, {"action": "submit", "attempt": "not-a-token"}).status_code == 400
    assert client.post(quiz.url, {"action": "grade", "attempt": str(attempt.token)}).status_code == 400
    for row in QuizAttempt.objects.all():
        assert row.state == QuizAttempt.State.IN_PROGRESS and row.answers == {} and row.score is None
    assert not QuizResult.objects.exists()


def test_review_right_after_an_attempt_shows_only_what_its_options_allow(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(
        module,
        max_attempts=3,
        review_after_score=True,
        review_after_marks=True,
        review_after_answers=False,
        review_after_feedback=False,
    )
    enrolled_reader(client, course)
    submit(client, quiz, start(client, quiz), WRONG_POST)
    html = client.get(quiz.url).content.decode()
    assert 'class="quiz-result__score"' in html and "0%" in html and "0.00%" not in html
    assert "quiz-review__question--incorrect" in html
    assert SECRET_FEEDBACK not in html and "quiz-review__correct" not in html and ACCEPTED not in html


def test_review_once_passed_uses_the_later_options(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(
        module,
        review_after_answers=False,
        review_after_feedback=False,
        review_later_answers=True,
        review_later_feedback=True,
    )
    enrolled_reader(client, course)
    submit(client, quiz, start(client, quiz), RIGHT_POST)
    html = client.get(quiz.url).content.decode()
    assert (
        "quiz-review__correct" in html
        and ACCEPTED in html
        and SECRET_FEEDBACK in html
        and CHOICE_FEEDBACK in html
    )


def test_review_once_out_of_attempts_uses_the_later_options(client):
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(
        module, max_attempts=1, review_after_score=False, review_later_score=False, review_later_answers=True
    )
    enrolled_reader(client, course)
    submit(client, quiz, start(client, quiz), WRONG_POST)
    html = client.get(quiz.url).content.decode()
    assert "quiz-result__score" not in html and ACCEPTED in html
    assert "quiz-start__none-left" in html and 'value="start"' not in html


def test_a_draft_quiz_is_404_and_a_reader_who_is_not_enrolled_sees_no_questions(client):
    _course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    profile = make_volunteer()
    client.force_login(profile.user)
    html = client.get(quiz.url).content.decode()
    assert "enrol-prompt" in html and "Who decides" not in html
    response = client.post(quiz.url, {"action": "start", "token": str(uuid.uuid4())})
    assert response.status_code == 302 and not QuizAttempt.objects.exists()
    quiz.unpublish()
    assert client.get(quiz.url).status_code == 404


def test_answer_keys_and_feedback_stay_out_of_the_search_index():
    block = QuizQuestionsBlock()
    value = block.to_python(question_stream())
    content = " ".join(block.get_searchable_content(value))
    assert "Who decides" in content
    for secret in (SECRET_FEEDBACK, CHOICE_FEEDBACK, ACCEPTED, "Firefighters"):
        assert secret not in content


# --- Trainers ------------------------------------------------------------------------------------


def known_attempts(module):
    quiz = add_quiz(module)
    course = quiz.get_parent().get_parent().specific
    right = make_user(first_name="Ratana", last_name="Dee")
    wrong = make_user(first_name="Somchai", last_name="Jai")
    for user, answers in ((right, RIGHT), (wrong, {"q-single": "c-wrong"})):
        course_enrol(volunteer=user, course=course)
        quiz_attempt_submit(attempt=begin(user, quiz), answers=answers)
    return quiz, right, wrong


def test_statistics_on_known_attempts(setup):
    _course, module, _lesson, _user = setup
    quiz, _right, _wrong = known_attempts(module)
    stats = quiz_statistics(quiz=quiz)
    assert (stats.attempts, stats.pass_rate, stats.average) == (2, 50, 50)
    single = stats.questions[0]
    assert single.prompt == "Who decides what happens next?"
    assert (single.answered, single.share_correct) == (2, 50)
    assert single.distribution == {"The person": 1, "The volunteer": 1}
    assert stats.questions[3].distribution == {"1300": 1, gettext("(no answer)"): 1}


def test_trainers_see_statistics_and_download_them_without_contact_data(client, setup):
    _course, module, _lesson, _user = setup
    quiz, right, _wrong = known_attempts(module)
    trainer = make_user(group="Trainers")
    trainer.user_permissions.clear()
    client.force_login(trainer)
    html = client.get(f"/admin/courses/quiz/{quiz.pk}/statistics/").content.decode()
    assert "Ratana Dee" in html and "50%" in html and right.email not in html
    response = client.get(f"/admin/courses/quiz/{quiz.pk}/statistics.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Ratana Dee" in cells and right.email not in cells
    assert book.worksheets[0]["B2"].value == 2


def test_a_volunteer_cannot_open_the_statistics(client, setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    client.force_login(user)
    response = client.get(f"/admin/courses/quiz/{quiz.pk}/statistics/")
    assert response.status_code in (302, 403)


def test_the_trainer_is_warned_when_editing_a_quiz_with_attempts(client, setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    trainer = make_user(group="Trainers")
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(trainer)
    assert "already made" not in client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()
    quiz_attempt_submit(attempt=begin(user, quiz), answers={})
    assert "already made 1 attempts" in client.get(f"/admin/pages/{quiz.pk}/edit/").content.decode()


# --- Privacy -------------------------------------------------------------------------------------


def test_quiz_attempts_are_exported_and_erased_with_the_person(setup):
    _course, module, _lesson, user = setup
    quiz = add_quiz(module)
    quiz_attempt_submit(attempt=begin(user, quiz), answers={"q-short": "my words"})
    exported = export_quizzes(user)
    assert exported["quiz_attempts"][0]["score"] == "0.00"
    assert {"question": "Which number do you call?", "answer": "my words"} in exported["quiz_attempts"][0][
        "answers"
    ]
    erase_quizzes(user, [user.email])
    assert not QuizAttempt.objects.filter(volunteer=user).exists()
    assert not QuizResult.objects.filter(volunteer=user).exists()


def test_the_admin_lists_a_quiz_with_a_statistics_link(client, setup):
    _course, module, _lesson, _user = setup
    quiz = add_quiz(module)
    client.force_login(make_user(group="Trainers"))
    listing = client.get(f"/admin/pages/{module.pk}/")
    assert listing.status_code == 200
    assert f"/admin/courses/quiz/{quiz.pk}/statistics/" in listing.content.decode()
    edit = client.get(f"/admin/pages/{quiz.pk}/edit/")
    assert edit.status_code == 200 and f"/admin/courses/quiz/{quiz.pk}/statistics/" in edit.content.decode()
