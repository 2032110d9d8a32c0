"""Writes for evaluations: a volunteer submits the evaluation (the anonymous answer and the separate
"done" mark, then the completion that issues the certificate), the gate that holds a completion
until then, and a new version of a form on each save.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.authoring.models import CoursePage
from courses.authoring.selectors import default_locale_page
from courses.evaluations.models import EvaluationAnswer, EvaluationDone, EvaluationForm
from courses.evaluations.selectors import evaluation_done, evaluation_due, evaluation_form_for
from courses.learning.models import CourseCompletion
from courses.learning.services import course_completion_check


class EvaluationError(Exception):
    """An evaluation refused for a reason the volunteer can read; `str()` is translated."""


class AlreadyEvaluated(EvaluationError):
    def __init__(self):
        super().__init__(_("You have already filled in the evaluation of this course. Thank you."))


class EvaluationNotDue(EvaluationError):
    def __init__(self):
        super().__init__(
            _("This course does not ask you for an evaluation now: finish its lessons and quizzes first.")
        )


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month of `moment` in Bangkok time: all an answer keeps of when it came."""
    return moment.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).date().replace(day=1)


def evaluation_gate(*, volunteer: Any, course: CoursePage) -> bool:
    """The completion gate: a course that requires an evaluation completes once it is given."""
    if evaluation_form_for(course) is None:
        return True  # nothing to fill in (no form at all): never hold a completion for ever
    return evaluation_done(volunteer=volunteer, course=course)


def evaluation_answer_record(
    *,
    course: CoursePage,
    form: EvaluationForm,
    answers: dict[str, Any],
    country: str,
    month: datetime.date,
) -> EvaluationAnswer:
    """Store one set of answers with nothing that names who gave them (see the model)."""
    return EvaluationAnswer.objects.create(
        id=uuid.uuid4(),
        course=course,
        form=form,
        form_version=form.version,
        country=(country or "")[:2],
        month=month.replace(day=1),
        answers=answers,
    )


@transaction.atomic
def evaluation_submit(
    *, volunteer: Any, course: CoursePage, answers: dict[str, Any]
) -> CourseCompletion | None:
    """Record the volunteer's evaluation of a course, then complete it (which issues the certificate).

    The "done" mark is written first: its unique constraint lets one submission through, and a
    second one (a double click, another tab) fails there and records nothing, answers included.
    Returns the completion (None if another listener already recorded it).
    """
    course = default_locale_page(course)
    if evaluation_done(volunteer=volunteer, course=course):
        raise AlreadyEvaluated
    form = evaluation_form_for(course)
    if form is None or not evaluation_due(volunteer=volunteer, course=course):
        raise EvaluationNotDue
    try:
        with transaction.atomic():
            EvaluationDone.objects.create(volunteer=volunteer, course=course)
    except IntegrityError as error:
        raise AlreadyEvaluated from error
    profile = getattr(volunteer, "volunteer_profile", None)
    evaluation_answer_record(
        course=course,
        form=form,
        answers=answers,
        country=getattr(profile, "country", "") or "",
        month=month_of(timezone.now()),
    )
    return course_completion_check(volunteer=volunteer, course=course)


def evaluation_form_saved(*, form: EvaluationForm) -> EvaluationForm:
    """Every save of a form is a new version (answers keep the version they were given to)."""
    EvaluationForm.objects.filter(pk=form.pk).update(version=models.F("version") + 1)
    form.refresh_from_db(fields=["version"])
    return form
