"""Reads for evaluations: which form a course asks, whether a volunteer still owes it, and the
courses whose results a person may read."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from courses.authoring.models import CoursePage
from courses.authoring.selectors import courses_editable_by
from courses.evaluations.models import EvaluationDone, EvaluationForm

RESULTS_PERMISSION = "courses.view_evaluationanswer"


def default_evaluation_form() -> EvaluationForm | None:
    return EvaluationForm.objects.filter(is_default=True).first()


def evaluation_form_for(course: CoursePage) -> EvaluationForm | None:
    """The form a course asks (its own, else the ministry-wide default); None when it asks none."""
    if not course.evaluation_required:
        return None
    if course.evaluation_form_id:
        own = EvaluationForm.objects.filter(pk=course.evaluation_form_id).first()
        if own is not None:
            return own
    return default_evaluation_form()


def evaluation_done(*, volunteer: Any, course: CoursePage) -> bool:
    return EvaluationDone.objects.filter(volunteer=volunteer, course=course).exists()


def evaluation_due(*, volunteer: Any, course: CoursePage) -> bool:
    """The volunteer has met the course's completion rule, the course asks an evaluation and they
    have not given it (so the course is not completed yet)."""
    from courses.learning.models import CourseCompletion
    from courses.learning.services import course_completion_requirements_met

    if volunteer is None or not volunteer.is_authenticated or not course.evaluation_required:
        return False
    if CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists():
        return False
    if evaluation_done(volunteer=volunteer, course=course):
        return False
    return course_completion_requirements_met(volunteer=volunteer, course=course)


def evaluation_results_courses(user: Any) -> QuerySet[CoursePage] | None:
    """The courses whose evaluation results `user` may read: None for staff (every course),
    otherwise the courses they may edit under Wagtail's page permissions."""
    if user.has_perm(RESULTS_PERMISSION):
        return None
    return courses_editable_by(user=user)


def user_may_read_results(user: Any, course: CoursePage) -> bool:
    scope = evaluation_results_courses(user)
    return scope is None or scope.filter(pk=course.pk).exists()
