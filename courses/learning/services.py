"""Writes for learning: enrolment (by the volunteer, by staff one by one or from a CSV), lesson
progress and course completion. Records always point at the default-locale (Thai) pages, whichever
language the volunteer reads.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from courses.authoring.models import CoursePage, LessonPage
from courses.authoring.selectors import default_locale_page
from courses.learning.completion import completion_gates_open, notify_course_completed
from courses.learning.models import CourseCompletion, Enrollment, LessonProgress
from courses.learning.notices import course_completed_notify, course_enrolled_notify
from courses.learning.outlines import course_learning_outline

# --- Learning -----------------------------------------------------------------------------------


class LearningError(Exception):
    """A learning action refused for a reason the volunteer can act on; `str()` is translated."""


class PrerequisitesMissing(LearningError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = missing
        super().__init__(
            _("Complete %(courses)s first, then enrol in this course.")
            % {"courses": ", ".join(f"“{course.title}”" for course in missing)}
        )


class NotEnrolled(LearningError):
    def __init__(self):
        super().__init__(_("Enrol in the course first to record your progress."))


class CourseUnavailable(LearningError):
    def __init__(self):
        super().__init__(_("This course is not open for enrolment."))


def _default_locale_version(page: Page) -> Page:
    return default_locale_page(page)


def _course_of(lesson: Page) -> CoursePage:
    return CoursePage.objects.get(path=lesson.path[: -2 * Page.steplen])


def _missing_prerequisites(*, volunteer: Any, course: CoursePage) -> list[CoursePage]:
    completed = set(CourseCompletion.objects.filter(volunteer=volunteer).values_list("course_id", flat=True))
    return [
        prerequisite
        for prerequisite in course.prerequisites.filter(live=True).order_by("path")
        if prerequisite.pk not in completed
    ]


def _log_for_volunteer(volunteer: Any, action: str, actor: Any, data: dict) -> None:
    """Audit a staff action on the volunteer's record, where the record view shows its history."""
    profile = getattr(volunteer, "volunteer_profile", None)
    log(profile if profile is not None else volunteer, action, user=actor, data=data)


@transaction.atomic
def course_enrol(
    *,
    volunteer: Any,
    course: CoursePage,
    actor: Any | None = None,
    source: str = Enrollment.Source.SELF,
) -> tuple[Enrollment, bool]:
    """Enrol a volunteer in a course (its default-locale page); returns (enrolment, newly made).

    A volunteer enrolling themselves must have completed the course's prerequisites. Staff may
    enrol without them (they can judge equivalent training); their enrolments are audited.
    Enrolling twice changes nothing.
    """
    course = _default_locale_version(course)
    if not course.live:
        raise CourseUnavailable
    existing = Enrollment.objects.filter(volunteer=volunteer, course=course).first()
    if existing is not None:
        return existing, False
    if source == Enrollment.Source.SELF:
        missing = _missing_prerequisites(volunteer=volunteer, course=course)
        if missing:
            raise PrerequisitesMissing(missing)
    try:
        with transaction.atomic():
            enrolment = Enrollment.objects.create(
                volunteer=volunteer, course=course, source=source, enrolled_by=actor
            )
    except IntegrityError:
        # A concurrent request enrolled them first.
        return Enrollment.objects.get(volunteer=volunteer, course=course), False
    if actor is not None and actor.pk != volunteer.pk:
        _log_for_volunteer(
            volunteer, "courses.enrol", actor, {"course": course.title, "course_id": course.pk}
        )
        course_enrolled_notify(user_id=volunteer.pk, course=course)
    return enrolment, True


@transaction.atomic
def lesson_complete(*, volunteer: Any, lesson: LessonPage) -> bool:
    """Record a lesson as done (once; repeats change nothing), then check the course's completion.

    Returns whether this call newly recorded it. The volunteer must be enrolled in the course.
    """
    lesson = _default_locale_version(lesson)
    if not lesson.live:
        raise CourseUnavailable
    course = _course_of(lesson)
    if not Enrollment.objects.filter(volunteer=volunteer, course=course).exists():
        raise NotEnrolled
    try:
        with transaction.atomic():
            LessonProgress.objects.create(volunteer=volunteer, lesson=lesson)
        created = True
    except IntegrityError:
        created = False
    course_completion_check(volunteer=volunteer, course=course)
    return created


def course_completion_requirements_met(*, volunteer: Any, course: CoursePage) -> bool:
    """The course's completion rule holds: every item it counts is done.

    Under "required lessons and quizzes" the required lessons count; under "all lessons and
    quizzes" every lesson does. Quizzes (the next issue) add their items to the same outline.
    """
    return course_learning_outline(user=volunteer, course=course).requirements_met


@transaction.atomic
def course_completion_record(
    *, volunteer: Any, course: CoursePage, completed_at: datetime.datetime | None = None
) -> CourseCompletion | None:
    """Record the completion once; only the call that recorded it notifies the listeners.

    Returns the new completion, or None when one already existed. Two requests at the same moment
    meet the unique constraint: the second one's insert fails and it notifies nobody.
    """
    course = _default_locale_version(course)
    if CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists():
        return None
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                volunteer=volunteer, course=course, completed_at=completed_at or timezone.now()
            )
    except IntegrityError:
        return None
    notify_course_completed(volunteer=volunteer, course=course, completed_at=completion.completed_at)
    if not course.issues_certificate:
        course_completed_notify(user_id=volunteer.pk, course=course)
    return completion


@transaction.atomic
def course_completion_check(*, volunteer: Any, course: CoursePage) -> CourseCompletion | None:
    """Record the completion when the course's rule now holds; None when not met or already recorded.

    A completion is never undone: content added later changes the progress shown to volunteers
    who have not finished, not the completions already recorded. A gate (the evaluation a course
    requires) may hold it back after the rule holds; the gate's room checks again when it opens.
    """
    course = _default_locale_version(course)
    if CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists():
        return None
    if not course_completion_requirements_met(volunteer=volunteer, course=course):
        return None
    if not completion_gates_open(volunteer=volunteer, course=course):
        return None
    return course_completion_record(volunteer=volunteer, course=course)


@dataclass
class BulkEnrolOutcome:
    line: int
    email: str
    outcome: str  # "enrolled", "already", "unknown", "invalid"
    message: str


BULK_ENROL_MAX_BYTES = 1_000_000


def course_enrol_many(*, volunteers: list[Any], course: CoursePage, actor: Any) -> tuple[int, int]:
    """Staff enrol several volunteers; returns (newly enrolled, already enrolled)."""
    new = already = 0
    for volunteer in volunteers:
        _enrolment, created = course_enrol(
            volunteer=volunteer, course=course, actor=actor, source=Enrollment.Source.STAFF
        )
        if created:
            new += 1
        else:
            already += 1
    return new, already


def _emails_from_csv(raw: bytes) -> list[tuple[int, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LearningError(_("The file is not UTF-8 text. Save the CSV as UTF-8 and try again.")) from error
    found: list[tuple[int, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        value = cells[0]
        if number == 1 and "@" not in value:
            continue  # a heading row
        found.append((number, value))
    if not found:
        raise LearningError(_("The file has no email addresses."))
    if len(found) > 5000:
        raise LearningError(_("The file has more than 5000 rows. Split it and upload each part."))
    return found


def course_enrol_csv(*, raw: bytes, course: CoursePage, actor: Any) -> list[BulkEnrolOutcome]:
    """Staff enrol the volunteers listed by email (first column of a CSV) in a course.

    Each row's outcome is reported; unknown addresses are reported, never created.
    """
    if len(raw) > BULK_ENROL_MAX_BYTES:
        raise LearningError(_("The file is larger than 1 MB."))
    rows = _emails_from_csv(raw)
    User = get_user_model()
    outcomes: list[BulkEnrolOutcome] = []
    with transaction.atomic():
        for line, email in rows:
            try:
                validate_email(email)
            except ValidationError:
                outcomes.append(BulkEnrolOutcome(line, email, "invalid", _("Not an email address.")))
                continue
            volunteer = User.objects.filter(
                email__iexact=email, is_active=True, volunteer_profile__isnull=False
            ).first()
            if volunteer is None:
                outcomes.append(
                    BulkEnrolOutcome(line, email, "unknown", _("No volunteer has this email address."))
                )
                continue
            _enrolment, created = course_enrol(
                volunteer=volunteer, course=course, actor=actor, source=Enrollment.Source.STAFF
            )
            outcomes.append(
                BulkEnrolOutcome(
                    line,
                    email,
                    "enrolled" if created else "already",
                    _("Enrolled; an email is on its way.") if created else _("Already enrolled."),
                )
            )
    return outcomes
