"""A quiz submitted offline, sent later through the sync endpoint (`courses.learning.sync`).

The phone keeps the quiz form's fields as they would have been posted (the attempt's token, the
action "submit", the answers, and "offline") and sends them as
`{"type": "quiz_submit", "attempt": "<token>", "fields": [[name, value], ...]}`. They are read by
the same rules as the form posted online (`parse_answers`: only what the attempt showed) and
graded once by `quiz_attempt_submit`. Registered from `CoursesConfig.ready()`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from courses.learning.sync import (
    ActionRefused,
    malformed_message,
    sync_action_register,
    uuid_from,
    visible_live_page,
)
from courses.quizzes import services as quiz_services
from courses.quizzes.grading import TamperedAnswers, parse_answers
from courses.quizzes.models import QuizAttempt, QuizPage


def _form_data(fields: Any) -> QueryDict | None:
    """The posted form the phone kept, as a QueryDict; None unless a list of [name, value] texts."""
    if not isinstance(fields, list):
        return None
    data = QueryDict(mutable=True)
    for pair in fields:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair)):
            return None
        data.appendlist(pair[0], pair[1])
    return data


def quiz_submit_action(*, request: HttpRequest, action: dict) -> str:
    """Grade an attempt with the answers the phone kept, as the quiz form's "Submit" would have.

    The attempt must be the volunteer's own (another person's token is answered as an unknown one,
    so it says nothing of whether it exists) and still open when the answers arrive: an attempt
    closed meanwhile (submitted from another device, or closed for its time limit) is not graded
    again with them. Past the time limit the quiz's rules decide, as online: the attempt is closed
    without a grade, or graded with the answers saved before; either way the phone's answers were
    not taken and it is told so.
    """
    token = uuid_from(action.get("attempt"))
    data = _form_data(action.get("fields"))
    if data is None:
        raise ActionRefused(malformed_message())
    attempts = QuizAttempt.objects.select_for_update(of=("self",))
    attempt = attempts.filter(token=token, volunteer=request.user).first() if token is not None else None
    if attempt is None:
        raise ActionRefused(
            _("This quiz attempt was not found in your account, so the answers were not graded.")
        )
    if visible_live_page(QuizPage, attempt.quiz_id, request) is None:
        raise ActionRefused(_("This page does not exist or is not published."))
    if data.get("action") != "submit" or uuid_from(data.get("attempt")) != attempt.token:
        raise ActionRefused(_("This form does not match your quiz. Reload the quiz page and try again."))
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        raise ActionRefused(
            _(
                "This attempt had already closed when your answers arrived, so they were not graded. "
                "Your answers are kept on this phone."
            )
        )
    try:
        answers = parse_answers(questions=attempt.questions, data=data, key=str(attempt.token))
    except TamperedAnswers:
        raise ActionRefused(
            _("This form does not match your quiz. Reload the quiz page and try again.")
        ) from None
    attempt = quiz_services.quiz_attempt_submit(attempt=attempt, answers=answers)
    if attempt.state == QuizAttempt.State.ABANDONED:
        return _("The time limit had passed, so the attempt was closed without a grade.")
    if attempt.answers != answers:
        return _(
            "The time limit had passed, so the attempt was graded with the answers saved before it; "
            "the answers from this phone were not used."
        )
    return ""


def register_quiz_sync() -> None:
    sync_action_register("quiz_submit", quiz_submit_action)
