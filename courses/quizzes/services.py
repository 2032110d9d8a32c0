"""Writes for quizzes: starting an attempt, saving its answers, submitting it (once), closing
attempts past their time limit, and the volunteer's result that counts toward course completion.

Attempts and results point at the default-locale (Thai) quiz page, whichever language was read.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.learning.models import Enrollment
from courses.learning.services import (
    CourseUnavailable,
    LearningError,
    _course_of,
    _default_locale_version,
    course_completion_check,
    enrolment_for_progress,
)
from courses.quizzes.grading import grade_attempt, grade_that_counts, percent, snapshot_questions
from courses.quizzes.models import QuizAttempt, QuizPage, QuizResult
from training.precompiled import STAND_IN_INT, STAND_IN_OTHER_INT, Precompiled


class NoAttemptsLeft(LearningError):
    def __init__(self):
        super().__init__(_("You have used all your attempts at this quiz."))


class WaitBeforeRetry(LearningError):
    def __init__(self, until: datetime.datetime):
        self.until = until
        super().__init__(_("You can try this quiz again after a short wait."))


class AttemptClosed(LearningError):
    def __init__(self):
        super().__init__(_("This attempt is closed."))


@dataclass
class QuizStanding:
    """What a volunteer may do with a quiz now."""

    attempts_used: int
    attempts_left: int | None  # None: unlimited
    in_progress: QuizAttempt | None
    next_start: datetime.datetime | None  # when a wait applies
    result: QuizResult | None
    run_id: int | None = None
    last_number: int = 0

    @property
    def can_start(self) -> bool:
        return self.in_progress is None and self.attempts_left != 0 and self.next_start is None

    @property
    def review_later(self) -> bool:
        """The second review moment: once passed or out of attempts."""
        return bool(self.result and self.result.passed) or self.attempts_left == 0


# `quiz_standing(run_id=...)` when the caller does not know the enrolment's run: it is looked up.
RUN_UNKNOWN: Any = object()


# Read on every view of a quiz page and every start of an attempt: compiled once.
_ATTEMPTS = Precompiled(
    lambda volunteer_id, quiz_id: QuizAttempt.objects.filter(
        volunteer_id=volunteer_id, quiz_id=quiz_id
    ).order_by("number"),
    STAND_IN_INT,
    STAND_IN_OTHER_INT,
)
_RESULT = Precompiled(
    lambda volunteer_id, quiz_id: QuizResult.objects.filter(
        volunteer_id=volunteer_id, quiz_id=quiz_id
    ).order_by("pk")[:1],
    STAND_IN_INT,
    STAND_IN_OTHER_INT,
)


def _attempts_of(*, volunteer: Any, quiz: QuizPage) -> list[QuizAttempt]:
    return _ATTEMPTS.objects(volunteer.pk, quiz.pk)


def quiz_attempts_current(*, volunteer: Any, quiz: QuizPage) -> list[QuizAttempt]:
    """The volunteer's attempts at the (default-locale) quiz by number, an open attempt past its
    time limit and grace closed first. Reading takes no lock: only when an open attempt is overdue
    does it close it under one (`quiz_attempt_close_overdue` checks again) and read them again."""
    attempts = _attempts_of(volunteer=volunteer, quiz=quiz)
    now = timezone.now()
    if any(a.state == QuizAttempt.State.IN_PROGRESS and _overdue(a, now) for a in attempts):
        quiz_attempt_close_overdue(volunteer=volunteer, quiz=quiz)
        attempts = _attempts_of(volunteer=volunteer, quiz=quiz)
    return attempts


def quiz_standing(
    *,
    volunteer: Any,
    quiz: QuizPage,
    now: datetime.datetime | None = None,
    run_id: Any = RUN_UNKNOWN,
    attempts: list[QuizAttempt] | None = None,
) -> QuizStanding:
    """What the volunteer may do with the quiz now. `run_id`: the run of their enrolment in the
    quiz's course (None for a course without runs), when the caller has it already; `attempts`:
    their attempts at the default-locale quiz by number, when the caller has read them already."""
    quiz = _default_locale_version(quiz)
    now = now or timezone.now()
    if attempts is None:
        attempts = _attempts_of(volunteer=volunteer, quiz=quiz)
    in_progress = next((a for a in attempts if a.state == QuizAttempt.State.IN_PROGRESS), None)
    # In a course with runs the attempt limit counts the attempts of the volunteer's current run.
    if run_id is RUN_UNKNOWN:
        run_id = _enrolment_run_id(volunteer=volunteer, quiz=quiz)
    used = len([a for a in attempts if run_id is None or a.run_id == run_id])
    left = None if not quiz.max_attempts else max(0, quiz.max_attempts - used)
    next_start = None
    finished = [a for a in attempts if a.finished_at is not None]
    if quiz.wait_minutes and finished:
        ready = max(a.finished_at for a in finished) + datetime.timedelta(minutes=quiz.wait_minutes)
        if ready > now:
            next_start = ready
    result = _RESULT.first(volunteer.pk, quiz.pk)
    return QuizStanding(
        used,
        left,
        in_progress,
        next_start,
        result,
        run_id=run_id,
        last_number=attempts[-1].number if attempts else 0,
    )


def _enrolment_run_id(*, volunteer: Any, quiz: QuizPage) -> int | None:
    """The run of the volunteer's enrolment in the quiz's course (None: no runs, or not enrolled)."""
    if not getattr(volunteer, "is_authenticated", False):
        return None
    course_path = quiz.path[: -2 * Page.steplen]
    return (
        Enrollment.objects.filter(volunteer=volunteer, course__path=course_path, run__isnull=False)
        .values_list("run_id", flat=True)
        .first()
    )


def _enrolled_quiz(*, volunteer: Any, quiz: QuizPage) -> tuple[QuizPage, Enrollment]:
    quiz = _default_locale_version(quiz)
    if not quiz.live:
        raise CourseUnavailable
    return quiz, enrolment_for_progress(volunteer=volunteer, course=_course_of(quiz))


@transaction.atomic
def quiz_attempt_start(
    *,
    volunteer: Any,
    quiz: QuizPage,
    token: uuid.UUID,
    shown: QuizPage | None = None,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Start an attempt (or return the one this token or an open attempt already made).

    The questions are snapshotted from `shown` (the page in the reader's language; the quiz itself
    by default) with their order and layout fixed for the attempt.
    """
    shown = shown or quiz
    quiz, enrolment = _enrolled_quiz(volunteer=volunteer, quiz=quiz)
    attempts = quiz_attempts_current(volunteer=volunteer, quiz=quiz)
    existing = next((attempt for attempt in attempts if attempt.token == token), None)
    if existing is not None:  # the same start sent again (a double tap, a reload)
        return existing
    standing = quiz_standing(volunteer=volunteer, quiz=quiz, run_id=enrolment.run_id, attempts=attempts)
    if standing.in_progress is not None:
        return standing.in_progress
    if standing.attempts_left == 0:
        raise NoAttemptsLeft
    if standing.next_start is not None:
        raise WaitBeforeRetry(standing.next_start)
    rules = quiz.rules()
    now = timezone.now()
    shown = shown.specific
    questions = snapshot_questions(
        stream=shown.questions, rules=rules, rng=rng or random.SystemRandom(), locale=shown.locale
    )
    # The language the questions were shown in, so a review read in another language can show its texts.
    language = shown.locale.language_code
    for question in questions:
        question["language"] = language
    deadline = now + datetime.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                token=token,
                volunteer=volunteer,
                quiz=quiz,
                number=standing.last_number + 1,
                run_id=standing.run_id,
                started_at=now,
                deadline=deadline,
                rules=rules,
                questions=questions,
            )
    except IntegrityError:
        # The token is taken (by a concurrent request with it, or by someone else's attempt or
        # another quiz's: refused), or a concurrent request opened another attempt first.
        attempt = (
            QuizAttempt.objects.filter(token=token).first()
            or QuizAttempt.objects.filter(
                volunteer=volunteer, quiz=quiz, state=QuizAttempt.State.IN_PROGRESS
            ).first()
        )
        if attempt is None:
            raise
        if attempt.volunteer_id != volunteer.pk or attempt.quiz_id != quiz.pk:
            raise AttemptClosed from None
        return attempt


def _overdue(attempt: QuizAttempt, now: datetime.datetime) -> bool:
    if attempt.deadline is None:
        return False
    grace = datetime.timedelta(seconds=attempt.rules.get("grace_seconds", 0))
    return now > attempt.deadline + grace


@transaction.atomic
def quiz_attempt_save(*, attempt: QuizAttempt, answers: dict) -> QuizAttempt:
    """Keep the answers posted so far (not graded). Past the time limit and grace the answers are
    ignored and the attempt is closed by its rules (the returned attempt is then no longer open)."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        raise AttemptClosed
    if _overdue(attempt, timezone.now()):
        _close_overdue(attempt)
        return attempt
    QuizAttempt.objects.filter(pk=attempt.pk, state=QuizAttempt.State.IN_PROGRESS).update(answers=answers)
    attempt.answers = answers
    return attempt


@transaction.atomic
def quiz_attempt_submit(*, attempt: QuizAttempt, answers: dict | None) -> QuizAttempt:
    """Grade and record the attempt once; submitting again returns the same, unchanged attempt.

    Past the time limit and grace, the posted answers are ignored and the attempt is graded with
    what was saved or closed without a grade, as the quiz's rules said when it started.
    """
    known = attempt
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != QuizAttempt.State.IN_PROGRESS:
        return attempt
    for relation in ("volunteer", "quiz"):  # what the caller has read already is not read again
        if QuizAttempt._meta.get_field(relation).is_cached(known):
            setattr(attempt, relation, getattr(known, relation))
    now = timezone.now()
    if _overdue(attempt, now):
        _close_overdue(attempt)
        return attempt
    if answers is not None:
        attempt.answers = answers
    _grade(attempt, now)
    return attempt


def _claim(attempt: QuizAttempt, **fields) -> bool:
    """Close the attempt with `fields` unless another request closed it first (exactly once, on
    every database: the update only matches an attempt still in progress)."""
    claimed = QuizAttempt.objects.filter(pk=attempt.pk, state=QuizAttempt.State.IN_PROGRESS).update(**fields)
    for name, value in fields.items():
        setattr(attempt, name, value)
    return bool(claimed)


def attempt_grading(*, attempt: QuizAttempt, now: datetime.datetime) -> dict[str, Any]:
    """What grading the attempt's answers sets on it: each question marked, the points, the score,
    whether it passed, and its end. Writes nothing: a trainer trying a quiz is graded by it too."""
    graded, earned, available = grade_attempt(
        questions=attempt.questions, answers=attempt.answers, rules=attempt.rules
    )
    score = percent(earned, available)
    return {
        "questions": graded,
        "answers": attempt.answers,
        "points": earned,
        "max_points": available,
        "score": score,
        "passed": score >= attempt.rules["pass_mark"],
        "state": QuizAttempt.State.FINISHED,
        "finished_at": now,
    }


def _grade(attempt: QuizAttempt, now: datetime.datetime) -> None:
    claimed = _claim(attempt, **attempt_grading(attempt=attempt, now=now))
    if not claimed:
        attempt.refresh_from_db()
        return
    _result_update(volunteer=attempt.volunteer, quiz=attempt.quiz, now=now)


def _close_overdue(attempt: QuizAttempt) -> None:
    end = attempt.deadline + datetime.timedelta(seconds=attempt.rules.get("grace_seconds", 0))
    if attempt.rules.get("overdue_handling") == "abandon":
        if not _claim(attempt, state=QuizAttempt.State.ABANDONED, finished_at=end):
            attempt.refresh_from_db()
        return
    _grade(attempt, end)


@transaction.atomic
def quiz_attempt_close_overdue(*, volunteer: Any, quiz: QuizPage) -> None:
    """Close the volunteer's open attempt at this quiz when it is past its time limit and grace."""
    now = timezone.now()
    for attempt in QuizAttempt.objects.select_for_update().filter(
        volunteer=volunteer, quiz=quiz, state=QuizAttempt.State.IN_PROGRESS, deadline__isnull=False
    ):
        if _overdue(attempt, now):
            _close_overdue(attempt)


def _result_update(*, volunteer: Any, quiz: QuizPage, now: datetime.datetime) -> QuizResult:
    """Recompute the grade that counts; a pass checks the course's completion (never undone)."""
    scores = list(
        QuizAttempt.objects.filter(volunteer=volunteer, quiz=quiz, state=QuizAttempt.State.FINISHED)
        .order_by("number")
        .values_list("score", flat=True)
    )
    grade = grade_that_counts(method=quiz.grading_method, scores=scores)
    passed = grade >= quiz.pass_mark
    result, created = QuizResult.objects.select_for_update().get_or_create(
        volunteer=volunteer,
        quiz=quiz,
        defaults={
            "grade": grade,
            "passed": passed,
            "updated_at": now,
            "first_passed_at": now if passed else None,
        },
    )
    if not created:  # a first result is written once
        result.grade, result.passed, result.updated_at = grade, passed, now
        if passed and result.first_passed_at is None:
            result.first_passed_at = now
        result.save(update_fields=["grade", "passed", "updated_at", "first_passed_at"])
    if passed:
        course_completion_check(volunteer=volunteer, course=_course_of(quiz))
    return result


@dataclass
class BankImport:
    """What an import did: every row read (each with its reason when refused) and the questions
    created; `created` is empty when a refused row stopped the whole import."""

    rows: list
    created: list

    @property
    def refused(self) -> list:
        return [row for row in self.rows if not row.ok]


@transaction.atomic
def bank_questions_import(
    *, rows: list, tags: list[str], actor: Any, valid_only: bool, locale: Any = None
) -> BankImport:
    """Add the checked rows (`courses.quizzes.imports.check_rows`) to the question bank, each with
    `tags` and its own, in `locale` (the questions' language; the default locale when None). Any
    refused row imports nothing unless `valid_only` asks for the valid rows; all of it in one
    transaction, so a failure halfway leaves the bank as it was."""
    from wagtail.log_actions import log
    from wagtail.models import Locale

    from courses.quizzes.bank import BankQuestion

    if not rows or (any(not row.ok for row in rows) and not valid_only):
        return BankImport(rows=rows, created=[])
    locale = locale or Locale.get_default()
    created = []
    for row in rows:
        if not row.ok:
            continue
        question = BankQuestion(question=[(row.kind, row.value)], locale=locale, created_by=actor)
        names = list(dict.fromkeys([*tags, *row.tags]))
        if names:
            question.tags.add(*names)  # kept with the question's cluster until it is saved
        question.save()
        log(instance=question, action="courses.bank_import", user=actor)
        created.append(question)
    return BankImport(rows=rows, created=created)
