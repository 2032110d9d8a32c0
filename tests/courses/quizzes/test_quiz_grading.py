"""Grading each question type on the server, with edge cases, and each grading method."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from courses.quizzes.grading import (
    TamperedAnswers,
    choice_value,
    grade_attempt,
    grade_question,
    grade_that_counts,
    normalise_short_answer,
    parse_answers,
)

SINGLE = {
    "id": "s",
    "type": "single_choice",
    "choices": [{"id": "a", "correct": True}, {"id": "b", "correct": False}],
    "points": "1",
}
MULTI = {
    "id": "m",
    "type": "multiple_choice",
    "choices": [{"id": "a", "correct": True}, {"id": "b", "correct": False}, {"id": "c", "correct": True}],
    "points": "2",
}
SHORT = {"id": "t", "type": "short_answer", "accepted": ["สายด่วน ๑๓๐๐", "Hotline"], "points": "1"}
MATCH = {
    "id": "x",
    "type": "matching",
    "items": [
        {"id": "1", "text": "Fire", "match": "Firefighters"},
        {"id": "2", "text": "Crime", "match": "Police"},
    ],
    "options": ["Police", "Firefighters"],
    "points": "1",
}
ALL_OR_NOTHING = {"multiple_choice_scoring": "all_or_nothing"}
PARTIAL = {"multiple_choice_scoring": "partial"}


def grade(question, answer, rules=ALL_OR_NOTHING):
    return grade_question(question=question, answer=answer, rules=rules)


def test_single_choice_earns_only_for_the_correct_choice():
    assert grade(SINGLE, "a") == 1
    assert grade(SINGLE, "b") == 0
    assert grade(SINGLE, None) == 0


def test_multiple_choice_all_or_nothing_needs_exactly_the_correct_set():
    assert grade(MULTI, ["a", "c"]) == 1
    assert grade(MULTI, ["a"]) == 0
    assert grade(MULTI, ["a", "b", "c"]) == 0
    assert grade(MULTI, []) == 0


def test_multiple_choice_partial_credit_subtracts_wrong_choices_and_never_goes_below_zero():
    assert grade(MULTI, ["a", "c"], PARTIAL) == 1
    assert grade(MULTI, ["a"], PARTIAL) == Decimal("0.5")
    assert grade(MULTI, ["a", "b"], PARTIAL) == 0
    assert grade(MULTI, ["b"], PARTIAL) == 0
    assert grade(MULTI, None, PARTIAL) == 0


def test_true_false_compares_with_the_key():
    question = {"type": "true_false", "answer_key": "false"}
    assert grade(question, "false") == 1
    assert grade(question, "true") == 0
    assert grade(question, None) == 0


@pytest.mark.parametrize(
    "answer",
    [
        "สายด่วน 1300",
        "  สายด่วน   ๑๓๐๐ ",
        "สายด่วน ๑๓๐๐",
        "HOTLINE",
        "\uff48\uff4f\uff54\uff4c\uff49\uff4e\uff45",  # full-width letters
    ],
)
def test_short_answers_ignore_case_spaces_unicode_form_and_thai_digits(answer):
    assert grade(SHORT, answer) == 1


@pytest.mark.parametrize("answer", ["", "   ", None, "สายด่วน 1301", "สายด่วน"])
def test_short_answers_that_differ_or_are_empty_earn_nothing(answer):
    assert grade(SHORT, answer) == 0


def test_thai_text_is_normalised_to_one_form():
    # Sara am written as nikhahit + sara aa normalises (NFKC) to the single character.
    assert normalise_short_answer("น\u0e4d\u0e32") == normalise_short_answer("น\u0e33")
    assert normalise_short_answer("๒๕๖๙") == "2569"


def test_matching_earns_a_share_for_each_right_pair():
    assert grade(MATCH, {"1": "Firefighters", "2": "Police"}) == 1
    assert grade(MATCH, {"1": "Firefighters"}) == Decimal("0.5")
    assert grade(MATCH, {"1": "Police", "2": "Firefighters"}) == 0
    assert grade(MATCH, None) == 0


def test_an_attempt_adds_points_and_marks_each_question():
    graded, earned, available = grade_attempt(
        questions=[SINGLE, MULTI, SHORT], answers={"s": "a", "m": ["a"], "t": ""}, rules=PARTIAL
    )
    assert (earned, available) == (Decimal("2.00"), Decimal("4"))
    assert [q["correct"] for q in graded] == [True, False, False]
    assert [q["partly_correct"] for q in graded] == [False, True, False]
    assert [q["earned"] for q in graded] == ["1.00", "1.00", "0.00"]
    assert graded[0]["answer"] == "a"


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", Decimal(80)), ("first", Decimal(40)), ("last", Decimal(60)), ("average", Decimal(60))],
)
def test_each_grading_method_picks_the_grade_that_counts(method, expected):
    assert grade_that_counts(method=method, scores=[Decimal(40), Decimal(80), Decimal(60)]) == expected


def test_no_finished_attempt_has_no_grade():
    assert grade_that_counts(method="highest", scores=[]) is None


KEY = "attempt-token"
CHOICE_QUESTIONS = {"answer-s": SINGLE, "answer-m": MULTI}


def post(**fields) -> QueryDict:
    """A posted form; choices named by id become the values the attempt with KEY offers for them."""
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        question = CHOICE_QUESTIONS.get(name)
        if question is not None:
            ids = {choice["id"] for choice in question["choices"]}
            values = [
                choice_value(key=KEY, question=question, choice={"id": v}) if v in ids else v for v in values
            ]
        data.setlist(name, values)
    return data


def test_parsing_keeps_answers_in_the_shown_fields():
    answers = parse_answers(
        questions=[SINGLE, MULTI, SHORT, MATCH],
        data=post(**{"answer-s": "b", "answer-m": ["c", "a"], "answer-t": " x ", "answer-x-1": "Police"}),
        key=KEY,
    )
    assert answers == {"s": "b", "m": ["a", "c"], "t": "x", "x": {"1": "Police"}}


def test_parsing_takes_choices_only_as_the_attempts_own_opaque_values():
    for fields in ({"answer-s": "a"}, {"answer-m": ["a", "c"]}):
        raw = QueryDict(mutable=True)
        for name, value in fields.items():
            raw.setlist(name, value if isinstance(value, list) else [value])
        with pytest.raises(TamperedAnswers):
            parse_answers(questions=[SINGLE, MULTI], data=raw, key=KEY)
    with pytest.raises(TamperedAnswers):
        parse_answers(questions=[SINGLE], data=post(**{"answer-s": "a"}), key="another-attempt")


@pytest.mark.parametrize(
    "fields",
    [
        {"score": "100"},
        {"answer-other": "a"},
        {"answer-s": "c"},
        {"answer-s": ["a", "b"]},
        {"answer-m": ["a", "zz"]},
        {"answer-x-1": "Ambulance"},
        {"answer-x-9": "Police"},
        {"answer-t": "x" * 501},
    ],
)
def test_parsing_rejects_fields_and_values_the_attempt_did_not_show(fields):
    with pytest.raises(TamperedAnswers):
        parse_answers(questions=[SINGLE, MULTI, SHORT, MATCH], data=post(**fields), key=KEY)
