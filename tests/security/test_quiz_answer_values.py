"""The quiz form's choice values give nothing away (issue 19, item 5).

The demo quizzes' choices had their block ids as values, in authoring order, and the right choice
was always the first (`ethics-consent-0`): posting every `-0` scored the choice questions right
without reading them. Now each attempt's form carries opaque values of its own, mapped back on
submit; anything else is a clear 400 that changes nothing saved.
"""

import random
import re
import uuid

import pytest

from courses.learning.services import course_enrol
from courses.models import CoursePage, QuizAttempt, QuizPage
from courses.quizzes.services import quiz_attempt_start
from tests.factories import make_volunteer

pytestmark = pytest.mark.django_db

CHOICE_INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="(answer-[^"]+)" value="([^"]*)"')


@pytest.fixture
def first_quiz(demo, client):
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    quiz = QuizPage.objects.descendant_of(course).live().order_by("path").first()
    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=course)
    client.force_login(profile.user)
    return quiz


def start(client, quiz) -> QuizAttempt:
    token = str(uuid.uuid4())
    assert client.post(quiz.url, {"action": "start", "token": token}).status_code == 302
    return QuizAttempt.objects.get(token=token)


def choice_questions(attempt):
    return [q for q in attempt.questions if q["type"] in ("single_choice", "multiple_choice")]


def form_choice_values(client, quiz) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in CHOICE_INPUT.findall(client.get(quiz.url).content.decode()):
        if not value.isalpha():  # true/false radios keep their plain "true" and "false"
            values.setdefault(name, []).append(value)
    return values


def test_posting_the_first_choice_by_its_block_id_no_longer_scores(first_quiz, client):
    attempt = start(client, first_quiz)
    # Something saved first, through the form as it is: the attack must not lose it.
    values = form_choice_values(client, first_quiz)
    saved_field = next(name for name in values if name.endswith("ethics-consent"))
    saved = {saved_field: values[saved_field][1]}
    client.post(first_quiz.url, {"action": "save", "attempt": str(attempt.token), **saved})
    attempt.refresh_from_db()
    saved_answers = attempt.answers
    assert saved_answers["ethics-consent"]

    guess = {f"answer-{q['id']}": f"{q['id']}-0" for q in choice_questions(attempt)}
    assert guess  # the demo quiz has choice questions
    response = client.post(first_quiz.url, {"action": "submit", "attempt": str(attempt.token), **guess})

    assert response.status_code == 400
    assert "แบบฟอร์มนี้ไม่ตรงกับแบบทดสอบ" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS and attempt.score is None
    assert attempt.answers == saved_answers


def test_the_rendered_form_names_no_choice_ids_or_positions(first_quiz, client):
    attempt = start(client, first_quiz)
    html = client.get(first_quiz.url).content.decode()
    values = [value for _name, value in CHOICE_INPUT.findall(html) if value not in ("true", "false")]
    choice_ids = [choice["id"] for q in choice_questions(attempt) for choice in q["choices"]]
    assert len(values) == len(choice_ids)
    for choice_id in choice_ids:
        assert choice_id not in html
    for value in values:
        assert re.fullmatch(r"[0-9a-f]{24}", value), value
    assert len(set(values)) == len(values)


def test_values_from_one_attempt_do_not_work_in_another(first_quiz, client):
    first = start(client, first_quiz)
    first_values = form_choice_values(client, first_quiz)
    client.post(first_quiz.url, {"action": "submit", "attempt": str(first.token)})

    second = start(client, first_quiz)
    second_values = form_choice_values(client, first_quiz)
    assert not {v for vs in first_values.values() for v in vs} & {
        v for vs in second_values.values() for v in vs
    }
    stale = {name: values[0] for name, values in first_values.items()}
    response = client.post(first_quiz.url, {"action": "submit", "attempt": str(second.token), **stale})

    assert response.status_code == 400
    second.refresh_from_db()
    assert second.state == QuizAttempt.State.IN_PROGRESS and second.answers == {}


def test_the_right_choice_is_not_always_shown_first(first_quiz):
    """Attempts shuffle the demo quizzes' choices (a fixed seed per attempt, so this never flakes):
    a fixed-position guess does not find the right answers either."""
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    right_first = []
    for seed in range(6):
        volunteer = make_volunteer().user
        course_enrol(volunteer=volunteer, course=course)
        attempt = quiz_attempt_start(
            volunteer=volunteer, quiz=first_quiz, token=uuid.uuid4(), rng=random.Random(seed)
        )
        single = next(q for q in attempt.questions if q["id"] == "ethics-consent")
        right_first.append(single["choices"][0]["correct"])
    assert not all(right_first)
