"""Read paths for quizzes: the questions of an open attempt as the form shows them (without any
answer key or feedback), the review of a finished attempt as the review options allow, a
volunteer's attempt history, every attempt of a volunteer for the staff record, and the trainers'
statistics per quiz."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.authoring.selectors import quiz_course_path
from courses.learning.outlines import share_percent
from courses.quizzes.grading import choice_value, field_name, snapshot_questions
from courses.quizzes.models import QuizAttempt, QuizPage
from volunteers.coordinators import in_countries


def form_questions(*, attempt: QuizAttempt) -> list[dict]:
    """The attempt's questions for the form: prompts, choices and the answers saved so far, and
    nothing that tells which answer is right (the leak tests read every response): a choice's value
    is opaque and belongs to this attempt (grading.choice_value)."""
    key = str(attempt.token)
    shown = []
    for number, question in enumerate(attempt.questions, start=1):
        saved = attempt.answers.get(question["id"])
        entry: dict[str, Any] = {
            "number": number,
            "type": question["type"],
            "prompt": question["prompt"],
            "points": question["points"],
            "name": field_name(question),
        }
        if question["type"] in ("single_choice", "multiple_choice"):
            chosen = set(saved or []) if question["type"] == "multiple_choice" else {saved}
            entry["choices"] = [
                {
                    "value": choice_value(key=key, question=question, choice=choice),
                    "text": choice["text"],
                    "checked": choice["id"] in chosen,
                }
                for choice in question["choices"]
            ]
        elif question["type"] == "true_false" or question["type"] == "short_answer":
            entry["value"] = saved or ""
        elif question["type"] == "matching":
            saved = saved or {}
            entry["items"] = [
                {"text": item["text"], "name": field_name(question, item), "value": saved.get(item["id"], "")}
                for item in question["items"]
            ]
            entry["options"] = list(question["options"])
        shown.append(entry)
    return shown


def _answer_text(question: dict, answer: Any) -> str:
    kind = question["type"]
    if kind in ("single_choice", "multiple_choice"):
        chosen = set(answer or []) if kind == "multiple_choice" else {answer}
        return "; ".join(choice["text"] for choice in question["choices"] if choice["id"] in chosen)
    if kind == "true_false":
        return {"true": _("True"), "false": _("False")}.get(answer or "", "")
    if kind == "short_answer":
        return answer or ""
    if kind == "matching":
        answer = answer or {}
        return "; ".join(f"{item['text']} → {answer.get(item['id'], '-')}" for item in question["items"])
    return ""


def _correct_text(question: dict) -> str:
    kind = question["type"]
    if kind in ("single_choice", "multiple_choice"):
        return "; ".join(choice["text"] for choice in question["choices"] if choice["correct"])
    if kind == "true_false":
        return _("True") if question["answer_key"] == "true" else _("False")
    if kind == "short_answer":
        return " / ".join(question["accepted"])
    if kind == "matching":
        return "; ".join(f"{item['text']} → {item['match']}" for item in question["items"])
    return ""


def _feedback(question: dict) -> list[str]:
    notes = []
    if question["type"] in ("single_choice", "multiple_choice"):
        answer = question.get("answer")
        chosen = set(answer or []) if question["type"] == "multiple_choice" else {answer}
        notes += [
            choice["feedback"]
            for choice in question["choices"]
            if choice["id"] in chosen and choice["feedback"]
        ]
    if question.get("feedback"):
        notes.append(question["feedback"])
    return notes


@dataclass
class ReviewedQuestion:
    number: int
    prompt: str
    your_answer: str
    points: str
    earned: str | None = None
    state: str | None = None  # "correct", "partly", "incorrect" when marks may be shown
    correct_answer: str | None = None
    feedback: list[str] = field(default_factory=list)


@dataclass
class AttemptReview:
    attempt: QuizAttempt
    options: dict[str, bool]
    questions: list[ReviewedQuestion]

    @property
    def show_score(self) -> bool:
        return self.options["score"]


def _question_texts(page: QuizPage) -> dict[str, dict]:
    """A quiz page's questions by block id, with their texts in the page's language, in the form an
    attempt snapshots them."""
    in_order = {"shuffle_choices": False, "shuffle_questions": False, "draw_count": 0}
    rng = random.Random(0)  # noqa: S311 (orders nothing the review reads)
    questions = snapshot_questions(
        stream=page.questions, rules=in_order, rng=rng, draw_all=True, locale=page.locale
    )
    return {question["id"]: question for question in questions}


def _with_texts(question: dict, texts: dict | None) -> dict:
    """The snapshot of `question` with the prompt, choices, pairs, accepted answers and feedback of
    `texts` (the same question in another language: wagtail-localize keeps block ids). What was
    graded (choice ids, correctness, points) stays as snapshotted; a matching answer is shown with
    the other language's text of the match it chose."""
    if texts is None or texts["type"] != question["type"]:
        return question
    shown = {**question, "prompt": texts["prompt"], "feedback": texts["feedback"]}
    if "choices" in question:
        choices = {choice["id"]: choice for choice in texts["choices"]}
        shown["choices"] = [
            {**choice, "text": choices[choice["id"]]["text"], "feedback": choices[choice["id"]]["feedback"]}
            if choice["id"] in choices
            else choice
            for choice in question["choices"]
        ]
    elif question["type"] == "short_answer":
        shown["accepted"] = texts["accepted"] or question["accepted"]
    elif question["type"] == "matching":
        items = {item["id"]: item for item in texts["items"]}
        matches = {
            item["match"]: items[item["id"]]["match"] for item in question["items"] if item["id"] in items
        }
        shown["items"] = [
            {**item, "text": items[item["id"]]["text"], "match": items[item["id"]]["match"]}
            if item["id"] in items
            else item
            for item in question["items"]
        ]
        if isinstance(question.get("answer"), dict):
            shown["answer"] = {key: matches.get(value, value) for key, value in question["answer"].items()}
    return shown


def attempt_review(
    *, attempt: QuizAttempt, options: dict[str, bool], shown: QuizPage | None = None
) -> AttemptReview:
    """A finished attempt with only what the review options in force allow.

    `shown` is the quiz page in the reader's language: questions snapshotted in another language
    are reviewed with its texts, so a volunteer who started in Thai reads the review in English.
    """
    questions = attempt.questions
    if shown is not None:
        language = shown.locale.language_code
        if any(question.get("language", settings.LANGUAGE_CODE) != language for question in questions):
            texts = _question_texts(shown)
            questions = [
                question
                if question.get("language", settings.LANGUAGE_CODE) == language
                else _with_texts(question, texts.get(question["id"]))
                for question in questions
            ]
    reviewed = []
    for number, question in enumerate(questions, start=1):
        entry = ReviewedQuestion(
            number=number,
            prompt=question["prompt"],
            your_answer=_answer_text(question, question.get("answer")),
            points=question["points"],
        )
        if options["score"]:
            entry.earned = question.get("earned")
        if options["marks"]:
            entry.state = (
                "correct"
                if question.get("correct")
                else "partly"
                if question.get("partly_correct")
                else "incorrect"
            )
        if options["answers"]:
            entry.correct_answer = _correct_text(question)
        if options["feedback"]:
            entry.feedback = _feedback(question)
        reviewed.append(entry)
    return AttemptReview(attempt=attempt, options=options, questions=reviewed)


def volunteer_quiz_attempts(*, user: Any) -> QuerySet[QuizAttempt]:
    """Every attempt of a person at every quiz, with the quiz's and its course's titles, oldest
    first: one query, without the answers and question snapshots."""
    return (
        QuizAttempt.objects.filter(volunteer=user)
        .only("number", "state", "started_at", "finished_at", "score", "passed", "quiz_id", "volunteer_id")
        .annotate(quiz_title=F("quiz__title"), course_path=quiz_course_path())
        .annotate(
            course_title=Subquery(Page.objects.filter(path=OuterRef("course_path")).values("title")[:1])
        )
        .order_by("started_at", "pk")
    )


# --- Trainers' statistics ---------------------------------------------------------------------


@dataclass
class QuestionStatistics:
    question_id: str
    prompt: str
    type: str
    answered: int = 0
    correct: int = 0
    distribution: Counter = field(default_factory=Counter)

    @property
    def answers(self) -> list[tuple[str, int]]:
        """The answers given, most frequent first."""
        return self.distribution.most_common()

    @property
    def share_correct(self) -> int:
        return share_percent(self.correct, self.answered)


@dataclass
class QuizStatistics:
    quiz: QuizPage
    attempts: int
    passed: int
    average: Decimal | None
    questions: list[QuestionStatistics]
    people: list[dict]

    @property
    def pass_rate(self) -> int:
        return share_percent(self.passed, self.attempts)


def quiz_statistics(*, quiz: QuizPage, viewer: Any = None) -> QuizStatistics:
    """Finished attempts at a quiz: how many, the pass rate, the average score, and per question
    (by block id, across languages and edits) the share answered correctly and the answers given.
    A country coordinator (`viewer`) gets the figures of their countries' volunteers' attempts.

    `people` lists attempts with the volunteer's name only (no contact data)."""
    finished = QuizAttempt.objects.filter(quiz=quiz, state=QuizAttempt.State.FINISHED)
    if viewer is not None:
        finished = in_countries(finished, viewer, "volunteer__volunteer_profile__country")
    attempts = list(finished.select_related("volunteer").order_by("finished_at", "pk"))
    by_question: dict[str, QuestionStatistics] = {}
    order: list[str] = [str(block.id) for block in quiz.questions]
    for attempt in attempts:
        for question in attempt.questions:
            stats = by_question.get(question["id"])
            if stats is None:
                stats = by_question[question["id"]] = QuestionStatistics(
                    question_id=question["id"], prompt=question["prompt"], type=question["type"]
                )
            stats.answered += 1
            if question.get("correct"):
                stats.correct += 1
            answer = question.get("answer")
            if question["type"] == "multiple_choice":
                for text in [c["text"] for c in question["choices"] if c["id"] in (answer or [])] or [""]:
                    stats.distribution[text or _("(no answer)")] += 1
            else:
                stats.distribution[_answer_text(question, answer) or _("(no answer)")] += 1
    ordered = sorted(
        by_question.values(),
        key=lambda stats: (
            order.index(stats.question_id) if stats.question_id in order else len(order),
            stats.prompt,
        ),
    )
    scores = [attempt.score for attempt in attempts]
    average = (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None
    people = [
        {
            "name": attempt.volunteer.get_full_name() or _("(no name)"),
            "number": attempt.number,
            "finished_at": attempt.finished_at,
            "score": attempt.score,
            "passed": attempt.passed,
        }
        for attempt in attempts
    ]
    return QuizStatistics(
        quiz=quiz,
        attempts=len(attempts),
        passed=sum(1 for attempt in attempts if attempt.passed),
        average=average,
        questions=ordered,
        people=people,
    )
