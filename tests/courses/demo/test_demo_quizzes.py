"""The demo quizzes: every orientation module ends with one (several question types, Thai and
English), the platform course has none, and the demo volunteer's quiz progress is meaningful."""

import pytest
from wagtail.models import Locale

from courses.learning.outlines import course_learning_outline
from courses.models import CoursePage, ModulePage, QuizAttempt, QuizPage, QuizResult

pytestmark = pytest.mark.django_db


def test_every_orientation_module_ends_with_a_quiz_of_several_question_types(demo):
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    types = set()
    for module in ModulePage.objects.child_of(course):
        last = module.get_children().live().order_by("path").last().specific
        assert isinstance(last, QuizPage)
        kinds = {block.block_type for block in last.questions}
        assert len(kinds) >= 2
        types |= kinds
        english = last.get_translation(Locale.objects.get(language_code="en")).specific
        assert english.live and english.title != last.title
        assert [block.id for block in english.questions] == [block.id for block in last.questions]
    assert types == {"single_choice", "multiple_choice", "true_false", "short_answer", "matching"}


def test_the_platform_course_has_no_quiz(demo):
    course = CoursePage.objects.get(slug="how-to-use-this-platform", locale__language_code="th")
    assert not QuizPage.objects.descendant_of(course).exists()


def test_the_demo_volunteer_failed_then_passed_the_first_quiz_and_the_course_is_in_progress(demo):
    from django.contrib.auth import get_user_model

    volunteer = get_user_model().objects.get(email="volunteer@example.org")
    attempts = list(QuizAttempt.objects.filter(volunteer=volunteer).order_by("number"))
    assert [attempt.passed for attempt in attempts] == [False, True]
    assert QuizResult.objects.get(volunteer=volunteer).passed
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    outline = course_learning_outline(user=volunteer, course=course)
    states = [item.state for item in outline.items if item.kind == "quiz"]
    assert states == ["passed", "not_started", "not_started", "not_started", "not_started"]
    assert not outline.is_completed and 0 < outline.percent < 100


def test_a_volunteer_takes_the_english_quiz_and_the_attempt_counts_for_the_thai_one(demo, client):
    import uuid

    from courses.learning.services import course_enrol
    from tests.factories import make_volunteer

    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    thai = QuizPage.objects.descendant_of(course).order_by("path").first()
    english = thai.get_translation(Locale.objects.get(language_code="en")).specific
    profile = make_volunteer()
    client.force_login(profile.user)
    course_enrol(volunteer=profile.user, course=course)
    token = str(uuid.uuid4())
    assert client.post(english.url, {"action": "start", "token": token}).status_code == 302
    attempt = QuizAttempt.objects.get(token=token)
    assert attempt.quiz_id == thai.pk
    assert attempt.questions[0]["prompt"].startswith(("Someone", "A volunteer", "Which", "What"))
    html = client.get(english.url).content.decode()
    assert attempt.questions[0]["prompt"] in html.replace("&#x27;", "'")


def test_the_demo_quizzes_do_not_invite_guessing(demo):
    """A few attempts, shuffled choices, and the right answers only once passed or out of attempts
    (issue 19: unlimited attempts with marks after each let anyone find the answers by elimination)."""
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    for quiz in QuizPage.objects.descendant_of(course).specific():
        assert 0 < quiz.max_attempts <= 3, quiz.title
        assert quiz.shuffle_choices and not quiz.review_after_answers and quiz.review_later_answers
