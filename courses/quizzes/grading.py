"""Quiz grading on the server: the snapshot an attempt takes of its questions, answer parsing
that rejects anything the attempt did not show, and the grading of each question type.

Everything here works on the snapshot stored on the attempt (plain JSON), never on the live page,
so editing a quiz later never changes a past score.
"""

from __future__ import annotations

import random
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import QueryDict
from django.utils.crypto import salted_hmac
from wagtail.models import Locale

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
CENT = Decimal("0.01")


def normalise_short_answer(text: str) -> str:
    """Compare short answers ignoring case, surrounding and repeated spaces, Unicode form and
    Thai versus Arabic digits."""
    text = unicodedata.normalize("NFKC", text or "").translate(THAI_DIGITS).casefold()
    return " ".join(text.split())


def snapshot_questions(
    *, stream, rules: dict, rng: random.Random, draw_all: bool = False, locale=None
) -> list[dict]:
    """The questions an attempt shows, in order, each with what grading needs.

    Questions from the bank are copied in as the bank holds them now (a chosen one, or `count`
    drawn at random from a tag with `rng`, never one the quiz already shows), so later edits of the
    bank never change the attempt. Then draws `draw_count` questions when set, and shuffles
    questions and choices when the rules say, once: the attempt keeps this layout for good.
    `draw_all` takes every question of a tag instead of a draw (the texts of any question an
    attempt may have drawn, for reviews in another language).

    Bank questions come in the quiz's language, `locale` (the quiz page's; the default locale when
    None): a draw takes only questions in it, and a chosen question shows its translation in it
    when there is one, else itself (a quiz is never left without its question).
    """
    if locale is None:
        locale = Locale.get_default()
    chosen = {
        block.id: _in_locale(block.value, locale)
        for block in stream
        if block.block_type == "bank_question" and block.value is not None
    }
    # A question the quiz shows is never drawn again, in any of its languages.
    used: set = {question.translation_key for question in chosen.values()}
    questions = []
    for block in stream:
        if block.block_type == "bank_question":
            if block.value is not None:  # a deleted bank question shows nothing
                questions.extend(_bank_entries([chosen[block.id]], rules=rules, rng=rng))
        elif block.block_type == "bank_draw":
            drawn = _bank_draw(
                tag=block.value["tag"],
                count=block.value["count"],
                locale=locale,
                exclude=used,
                rng=rng,
                draw_all=draw_all,
            )
            used.update(bank.translation_key for bank in drawn)
            questions.extend(_bank_entries(drawn, rules=rules, rng=rng))
        else:
            questions.append(
                _snapshot_one(
                    kind=block.block_type, value=block.value, question_id=str(block.id), rules=rules, rng=rng
                )
            )
    if rules["draw_count"] and rules["draw_count"] < len(questions):
        drawn_indexes = set(rng.sample(range(len(questions)), rules["draw_count"]))
        questions = [question for index, question in enumerate(questions) if index in drawn_indexes]
    if rules["shuffle_questions"]:
        rng.shuffle(questions)
    return questions


def _in_locale(question, locale):
    """The bank question's translation in `locale`, or the question itself when it has none."""
    if question.locale_id == locale.pk:
        return question
    return question.get_translation_or_none(locale) or question


def _bank_draw(*, tag: str, count: int, locale, exclude: set, rng: random.Random, draw_all: bool) -> list:
    """`count` bank questions with the tag in `locale`, at random, none of `exclude` (translation
    keys); all there are when the tag has fewer (the quiz was saved when it had enough)."""
    from courses.quizzes.bank import BankQuestion

    candidates = list(
        BankQuestion.objects.filter(tags__name=tag, locale=locale)
        .exclude(translation_key__in=exclude)
        .distinct()
        .order_by("pk")
    )
    if draw_all or len(candidates) <= count:
        return candidates
    return rng.sample(candidates, count)


def _bank_entries(bank_questions, *, rules: dict, rng: random.Random) -> list[dict]:
    entries = []
    for bank in bank_questions:
        block = bank.question_block()
        if block is None:
            continue
        entry = _snapshot_one(
            kind=block.block_type, value=block.value, question_id=str(block.id), rules=rules, rng=rng
        )
        entry["bank_question"] = bank.pk
        entries.append(entry)
    return entries


def _snapshot_one(*, kind: str, value, question_id: str, rules: dict, rng: random.Random) -> dict:
    """One question block's value as an attempt keeps it."""
    entry: dict[str, Any] = {
        "id": question_id,
        "type": kind,
        "prompt": value["prompt"],
        "points": str(value["points"]),
        "feedback": value.get("feedback", ""),
    }
    if kind in ("single_choice", "multiple_choice"):
        entry["choices"] = [
            {
                "id": str(choice_block.id),
                "text": choice_block.value["text"],
                "correct": bool(choice_block.value["correct"]),
                "feedback": choice_block.value["feedback"],
            }
            for choice_block in value["choices"].bound_blocks
        ]
        if rules["shuffle_choices"]:
            rng.shuffle(entry["choices"])
    elif kind == "true_false":
        entry["answer_key"] = value["answer"]
    elif kind == "short_answer":
        entry["accepted"] = list(value["accepted"])
    elif kind == "matching":
        entry["items"] = [
            {"id": str(pair.id), "text": pair.value["item"], "match": pair.value["match"]}
            for pair in value["pairs"].bound_blocks
        ]
        options = [pair["match"] for pair in entry["items"]]
        rng.shuffle(options)
        entry["options"] = options
        if rules["shuffle_choices"]:
            rng.shuffle(entry["items"])
    return entry


class TamperedAnswers(Exception):
    """The post names something the attempt did not show, or carries a value no field offered."""


# "offline": the form of a quiz without a time limit says the app may keep it for later on the
# phone (issue 24); it is sent back with the answers, online or through the sync endpoint.
ALLOWED_FIELDS = {"csrfmiddlewaretoken", "attempt", "action", "offline"}


def field_name(question: dict, item: dict | None = None) -> str:
    if item is None:
        return f"answer-{question['id']}"
    return f"answer-{question['id']}-{item['id']}"


CHOICE_SALT = "courses.quizzes.choice-value"


def choice_value(*, key: str, question: dict, choice: dict) -> str:
    """The value a choice has in one attempt's form: opaque, so it says nothing about which choice
    is right or where the trainer wrote it, and differs from attempt to attempt (`key` is the
    attempt's token). Answers are stored by choice id; this value only travels through the form."""
    message = f"{key}\x1f{question['id']}\x1f{choice['id']}"
    return salted_hmac(CHOICE_SALT, message, algorithm="sha256").hexdigest()[:24]


def _choice_ids(*, key: str, question: dict) -> dict[str, str]:
    """The choice id behind each value the attempt's form offers for a choice question."""
    return {
        choice_value(key=key, question=question, choice=choice): choice["id"]
        for choice in question["choices"]
    }


def parse_answers(*, questions: list[dict], data: QueryDict, key: str) -> dict[str, Any]:
    """The answers in a posted quiz form, keyed by question id, with choices mapped back from the
    attempt's opaque values (`key`: the attempt's token) to their ids; raises TamperedAnswers for a
    field the attempt did not show (other questions, quizzes, a score) or a value it did not offer
    (another attempt's values, a choice id)."""
    expected: dict[str, tuple[dict, dict | None]] = {}
    for question in questions:
        if question["type"] == "matching":
            for item in question["items"]:
                expected[field_name(question, item)] = (question, item)
        else:
            expected[field_name(question)] = (question, None)
    unknown = set(data.keys()) - set(expected) - ALLOWED_FIELDS
    if unknown:
        raise TamperedAnswers(sorted(unknown))
    answers: dict[str, Any] = {}
    for question in questions:
        kind = question["type"]
        name = field_name(question)
        if kind == "multiple_choice":
            values = data.getlist(name)
            offered = _choice_ids(key=key, question=question)
            if not set(values) <= set(offered) or len(values) != len(set(values)):
                raise TamperedAnswers([name])
            chosen = {offered[value] for value in values}
            answers[question["id"]] = [
                choice["id"] for choice in question["choices"] if choice["id"] in chosen
            ]
        elif kind == "single_choice":
            value = _single(data, name)
            offered = _choice_ids(key=key, question=question)
            if value and value not in offered:
                raise TamperedAnswers([name])
            answers[question["id"]] = offered[value] if value else None
        elif kind == "true_false":
            value = _single(data, name)
            if value not in ("", "true", "false"):
                raise TamperedAnswers([name])
            answers[question["id"]] = value or None
        elif kind == "short_answer":
            value = _single(data, name)
            if len(value) > 500:
                raise TamperedAnswers([name])
            answers[question["id"]] = value.strip()
        elif kind == "matching":
            chosen = {}
            for item in question["items"]:
                item_name = field_name(question, item)
                value = _single(data, item_name)
                if value and value not in question["options"]:
                    raise TamperedAnswers([item_name])
                if value:
                    chosen[item["id"]] = value
            answers[question["id"]] = chosen
    return answers


def _single(data: QueryDict, name: str) -> str:
    values = data.getlist(name)
    if len(values) > 1:
        raise TamperedAnswers([name])
    return values[0] if values else ""


def grade_question(*, question: dict, answer: Any, rules: dict) -> Decimal:
    """The fraction (0 to 1) of the question's points the answer earns."""
    kind = question["type"]
    if kind == "single_choice":
        correct = {choice["id"] for choice in question["choices"] if choice["correct"]}
        return Decimal(1) if answer in correct else Decimal(0)
    if kind == "multiple_choice":
        chosen = set(answer or [])
        correct = {choice["id"] for choice in question["choices"] if choice["correct"]}
        if rules.get("multiple_choice_scoring") == "partial":
            right = len(chosen & correct)
            wrong = len(chosen - correct)
            return max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))
        return Decimal(1) if chosen == correct else Decimal(0)
    if kind == "true_false":
        return Decimal(1) if answer == question["answer_key"] else Decimal(0)
    if kind == "short_answer":
        given = normalise_short_answer(answer or "")
        accepted = {normalise_short_answer(text) for text in question["accepted"]}
        return Decimal(1) if given and given in accepted else Decimal(0)
    if kind == "matching":
        chosen = answer or {}
        right = sum(
            1
            for item in question["items"]
            if normalise_short_answer(chosen.get(item["id"], "")) == normalise_short_answer(item["match"])
        )
        return Decimal(right) / Decimal(len(question["items"]))
    raise ValueError(kind)


def grade_attempt(
    *, questions: list[dict], answers: dict, rules: dict
) -> tuple[list[dict], Decimal, Decimal]:
    """Each question with its answer, correctness and points; the points earned and available."""
    graded = []
    earned_total = Decimal(0)
    available_total = Decimal(0)
    for question in questions:
        answer = answers.get(question["id"])
        fraction = grade_question(question=question, answer=answer, rules=rules)
        available = Decimal(question["points"])
        earned = (available * fraction).quantize(CENT, rounding=ROUND_HALF_UP)
        graded.append(
            {
                **question,
                "answer": answer,
                "correct": fraction == 1,
                "partly_correct": 0 < fraction < 1,
                "earned": str(earned),
            }
        )
        earned_total += earned
        available_total += available
    return graded, earned_total, available_total


def percent(earned: Decimal, available: Decimal) -> Decimal:
    if not available:
        return Decimal(0)
    return (earned * 100 / available).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_that_counts(*, method: str, scores: list[Decimal]) -> Decimal | None:
    """The grade under a grading method, from finished attempts' scores in attempt order."""
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "first":
        return scores[0]
    if method == "last":
        return scores[-1]
    if method == "average":
        return (sum(scores) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP)
    raise ValueError(method)
