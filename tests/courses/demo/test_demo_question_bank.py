"""The demo's question bank: a handful of Thai questions under one tag, imported from GIFT, that a
quiz can draw from."""

import random

import pytest

from courses.demo.quizzes import DEMO_BANK_GIFT, DEMO_BANK_TAG, seed_question_bank
from courses.models import BankQuestion
from courses.quizzes.grading import snapshot_questions
from courses.quizzes.imports import check_rows, parse_gift

pytestmark = pytest.mark.django_db


def test_every_demo_bank_question_reads_cleanly_from_its_gift_text():
    rows = check_rows(parse_gift(DEMO_BANK_GIFT))
    assert len(rows) == 6 and all(row.ok for row in rows), [(row.number, row.error) for row in rows]
    assert {row.kind for row in rows} == {
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "matching",
    }


def test_the_demo_bank_holds_the_tagged_questions_once_and_a_draw_takes_from_them(demo):
    assert BankQuestion.objects.filter(tags__name=DEMO_BANK_TAG).count() == 6
    seed_question_bank()
    assert BankQuestion.objects.count() == 6
    assert all(question.created_by.email == "trainer@example.org" for question in BankQuestion.objects.all())
    stream = [{"type": "bank_draw", "value": {"tag": DEMO_BANK_TAG, "count": 3}}]
    from courses.models import QuizPage

    quiz = QuizPage(title="Draw", slug="draw", questions=stream)
    rules = {"shuffle_choices": False, "shuffle_questions": False, "draw_count": 0}
    assert len(snapshot_questions(stream=quiz.questions, rules=rules, rng=random.Random(0))) == 3
