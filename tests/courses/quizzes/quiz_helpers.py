"""Building quizzes for tests: one question of each type with known answer keys, and posts of
answers as an attempt's form sends them."""

import html
import re

from courses.models import QuizPage
from courses.quizzes.grading import choice_value

SECRET_FEEDBACK = "FEEDBACK-SECRET-7731"
CHOICE_FEEDBACK = "CHOICE-FEEDBACK-4410"
ACCEPTED = "ACCEPTED-ANSWER-9950"


def question_stream() -> list[dict]:
    return [
        {
            "type": "single_choice",
            "id": "q-single",
            "value": {
                "prompt": "Who decides what happens next?",
                "points": "1",
                "feedback": SECRET_FEEDBACK,
                "choices": [
                    {
                        "type": "item",
                        "id": "c-right",
                        "value": {"text": "The person", "correct": True, "feedback": CHOICE_FEEDBACK},
                    },
                    {
                        "type": "item",
                        "id": "c-wrong",
                        "value": {"text": "The volunteer", "correct": False, "feedback": ""},
                    },
                ],
            },
        },
        {
            "type": "multiple_choice",
            "id": "q-multi",
            "value": {
                "prompt": "Which are safe to share?",
                "points": "2",
                "feedback": "",
                "choices": [
                    {
                        "type": "item",
                        "id": "m-a",
                        "value": {"text": "Help line number", "correct": True, "feedback": ""},
                    },
                    {
                        "type": "item",
                        "id": "m-b",
                        "value": {"text": "Shelter address", "correct": False, "feedback": ""},
                    },
                    {
                        "type": "item",
                        "id": "m-c",
                        "value": {"text": "Embassy hours", "correct": True, "feedback": ""},
                    },
                ],
            },
        },
        {
            "type": "true_false",
            "id": "q-tf",
            "value": {"prompt": "Listening is a skill.", "answer": "true", "points": "1", "feedback": ""},
        },
        {
            "type": "short_answer",
            "id": "q-short",
            "value": {
                "prompt": "Which number do you call?",
                "accepted": ["๑๓๐๐", ACCEPTED],
                "points": "1",
                "feedback": "",
            },
        },
        {
            "type": "matching",
            "id": "q-match",
            "value": {
                "prompt": "Match.",
                "points": "1",
                "feedback": "",
                "pairs": [
                    {"type": "item", "id": "p-1", "value": {"item": "Fire", "match": "Firefighters"}},
                    {"type": "item", "id": "p-2", "value": {"item": "Crime", "match": "Police"}},
                ],
            },
        },
    ]


RIGHT_POST = {
    "answer-q-single": "c-right",
    "answer-q-multi": ["m-a", "m-c"],
    "answer-q-tf": "true",
    "answer-q-short": "1300",
    "answer-q-match-p-1": "Firefighters",
    "answer-q-match-p-2": "Police",
}
WRONG_POST = {
    "answer-q-single": "c-wrong",
    "answer-q-multi": ["m-b"],
    "answer-q-tf": "false",
    "answer-q-short": "999",
    "answer-q-match-p-1": "Police",
    "answer-q-match-p-2": "Firefighters",
}


def add_quiz(module, *, slug: str = "quiz", **rules) -> QuizPage:
    quiz = QuizPage(title="Check your understanding", slug=slug, questions=question_stream(), **rules)
    module.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz


def _choices() -> dict[str, dict[str, str]]:
    """Choice questions' fields: choice id -> the choice's text."""
    return {
        f"answer-{question['id']}": {
            choice["id"]: choice["value"]["text"] for choice in question["value"]["choices"]
        }
        for question in question_stream()
        if question["type"] in ("single_choice", "multiple_choice")
    }


def _replace_choices(answers: dict, value_of) -> dict:
    posted = {}
    for name, value in answers.items():
        choices = _choices().get(name)
        if choices is None:
            posted[name] = value
            continue
        values = [
            value_of(name, choice) if choice in choices else choice
            for choice in ([value] if isinstance(value, str) else value)
        ]
        posted[name] = values if isinstance(value, list) else values[0]
    return posted


def as_posted(answers: dict, token) -> dict:
    """`answers` (choices named by their ids, as RIGHT_POST names them) as the form of the attempt
    with `token` sends them: each choice as that attempt's opaque value."""
    return _replace_choices(
        answers,
        lambda name, choice: choice_value(
            key=str(token), question={"id": name.removeprefix("answer-")}, choice={"id": choice}
        ),
    )


def as_chosen_in(answers: dict, page_html: str) -> dict:
    """`answers` as a person sends them from the form in `page_html`: each choice picked by its
    label's text, sent with the value the form gives it."""
    offered = {
        (name, html.unescape(text).strip()): value
        for name, value, text in re.findall(
            r'<input type="(?:radio|checkbox)" name="(answer-[^"]+)" value="([^"]*)"[^>]*>([^<]*)</label>',
            page_html,
        )
    }
    return _replace_choices(answers, lambda name, choice: offered[(name, _choices()[name][choice])])
