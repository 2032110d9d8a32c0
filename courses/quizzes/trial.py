"""Trying a quiz in the admin: a trainer who may edit it answers its latest version as a volunteer
would, submits, and sees the marks and feedback the quiz's review rules give a volunteer, with the
correct answers besides. Nothing is recorded: the real grading runs on an attempt never saved.

The form carries the revision tried and the seed of its layout (questions drawn and shuffled as in
an attempt), so the answers are graded against exactly the questions shown, with nothing stored.
"""

from __future__ import annotations

import random
import secrets
import uuid
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.quizzes import services as quiz_services
from courses.quizzes.grading import TamperedAnswers, parse_answers, snapshot_questions
from courses.quizzes.models import REVIEW_PARTS, QuizAttempt, QuizPage, QuizResult
from courses.quizzes.selectors import AttemptReview, attempt_review, form_questions

SEED_LIMIT = 2**31
# A trial attempt's token (which keys its form's opaque choice values) follows from what the form
# carries back, so the posted values map to the choices shown with nothing stored.
TRIAL_NAMESPACE = uuid.UUID("0b6f3d1e-5c2a-4f7e-8a9d-3e41c7b2f560")
# Fields the trial form adds to an attempt's own.
TRIAL_FIELDS = ("revision", "seed")


@dataclass
class QuizTrial:
    """A trial attempt: the quiz as tried (its latest revision), and the unsaved attempt."""

    quiz: QuizPage
    revision_id: int | None
    seed: int
    attempt: QuizAttempt


def quiz_trial_start(*, page: QuizPage, revision_id: int | None = None, seed: int | None = None) -> QuizTrial:
    """A trial of the quiz's latest revision (or of `revision_id`, one of its own), laid out as an
    attempt would be from `seed` (a new one by default). Raises LookupError for a revision of
    another page. Saves nothing."""
    if revision_id is None:
        revision_id = page.latest_revision_id
        quiz = page.get_latest_revision_as_object()
    else:
        revision = page.revisions.filter(pk=revision_id).first()
        if revision is None:
            raise LookupError(revision_id)
        quiz = revision.as_object()
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    rules = quiz.rules()
    attempt = QuizAttempt(
        token=uuid.uuid5(TRIAL_NAMESPACE, f"{page.pk}:{revision_id}:{seed}"),
        number=1,
        rules=rules,
        questions=snapshot_questions(
            stream=quiz.questions,
            rules=rules,
            rng=random.Random(seed),  # noqa: S311 (a layout)
            locale=quiz.locale,
        ),
        answers={},
    )
    return QuizTrial(quiz=quiz, revision_id=revision_id, seed=seed, attempt=attempt)


def quiz_trial_grade(*, trial: QuizTrial, answers: dict) -> QuizAttempt:
    """The trial's attempt graded as a volunteer's would be (quiz_services.attempt_grading), unsaved."""
    attempt = trial.attempt
    attempt.answers = answers
    for name, value in quiz_services.attempt_grading(attempt=attempt, now=timezone.now()).items():
        setattr(attempt, name, value)
    return attempt


def quiz_trial_reviews(*, trial: QuizTrial) -> tuple[AttemptReview, AttemptReview]:
    """What a volunteer would see after this attempt, had it been their first, under the quiz's
    review rules; and everything, for the trainer."""
    quiz, attempt = trial.quiz, trial.attempt
    standing = quiz_services.QuizStanding(
        attempts_used=1,
        attempts_left=max(0, quiz.max_attempts - 1) if quiz.max_attempts else None,
        in_progress=None,
        next_start=None,
        result=QuizResult(grade=attempt.score, passed=attempt.passed),
    )
    moment = "later" if standing.review_later else "after"
    volunteer = attempt_review(attempt=attempt, options=quiz.review_options(moment))
    trainer = attempt_review(attempt=attempt, options=dict.fromkeys(REVIEW_PARTS, True))
    return volunteer, trainer


# --- The admin view -----------------------------------------------------------------------------


def _bad_request() -> HttpResponse:
    return HttpResponseBadRequest(
        _("This form does not match your quiz. Reload the quiz page and try again.").encode(),
        content_type="text/plain; charset=utf-8",
    )


def _forbidden(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "courses/admin/quiz_try_forbidden.html",
        {"page_title": _("Try this quiz"), "header_title": _("Try this quiz")},
        status=403,
    )


def _int(value: str, *, limit: int) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and int(value) < limit else None


def quiz_try_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET: the quiz's latest version as a volunteer answers it. POST: graded, with the review a
    volunteer would see and the answer key. Only for people who may edit the quiz (403 otherwise)."""
    page = QuizPage.objects.filter(pk=page_id).first()
    if page is None:
        raise Http404(_("This quiz does not exist."))
    if not page.permissions_for_user(request.user).can_edit():
        return _forbidden(request)
    if request.method == "POST":
        return _try_post(request, page)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    trial = quiz_trial_start(page=page)
    return _render(request, page, trial, questions=form_questions(attempt=trial.attempt))


def _try_post(request: HttpRequest, page: QuizPage) -> HttpResponse:
    revision = request.POST.get("revision", "")
    seed = _int(request.POST.get("seed", ""), limit=SEED_LIMIT)
    revision_id = _int(revision, limit=2**63) if revision else None
    if request.POST.get("action") != "submit" or seed is None or (revision and revision_id is None):
        return _bad_request()
    try:
        trial = quiz_trial_start(page=page, revision_id=revision_id, seed=seed)
    except LookupError:
        return _bad_request()
    data = QueryDict(mutable=True)
    for name, values in request.POST.lists():
        if name not in TRIAL_FIELDS:
            data.setlist(name, values)
    try:
        answers = parse_answers(questions=trial.attempt.questions, data=data, key=str(trial.attempt.token))
    except TamperedAnswers:
        return _bad_request()
    quiz_trial_grade(trial=trial, answers=answers)
    review, answer_key = quiz_trial_reviews(trial=trial)
    return _render(request, page, trial, review=review, answer_key=answer_key)


def _render(request: HttpRequest, page: QuizPage, trial: QuizTrial, **context) -> HttpResponse:
    return TemplateResponse(
        request,
        "courses/admin/quiz_try.html",
        {
            "page_title": _("Try this quiz"),
            "header_title": _("Try this quiz"),
            "page_subtitle": trial.quiz.title,
            "header_icon": "clipboard-list",
            "page": page,
            "quiz": trial.quiz,
            "trial": trial,
            "unpublished": not page.live or page.has_unpublished_changes,
            **context,
        },
    )
