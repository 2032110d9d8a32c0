"""Writes for learning: enrolment (by the volunteer, by staff one by one or from a CSV), into a
course's run when it has runs, lesson progress and course completion. Records always point at the
default-locale (Thai) pages, whichever language the volunteer reads.

Runs (docs/course-runs.md): a volunteer has one enrolment per course (the unique constraint
`unique_enrollment`), which names its run; moving to another run changes that row, it never adds a
second (`courses.learning.runs`). A run's seats are counted with the run's row locked (SELECT ...
FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers already), so two
requests never take the last seat twice.
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
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from courses.authoring.models import CoursePage, LessonPage
from courses.authoring.selectors import default_locale_page
from courses.learning.completion import completion_gates_open, notify_course_completed
from courses.learning.models import CourseCompletion, CourseRun, Enrollment, LessonProgress, RunWaitlistEntry
from courses.learning.notices import course_completed_notify, course_enrolled_notify
from courses.learning.outlines import course_learning_outline
from training.precompiled import STAND_IN_INT, STAND_IN_TEXT, Precompiled
from volunteers.coordinators import countries_of, in_countries

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


class RunNotOpen(LearningError):
    def __init__(self):
        super().__init__(_("Enrolment in this run is not open now."))


class NoRunOpen(LearningError):
    def __init__(self):
        super().__init__(_("No run of this course is open for enrolment now."))


class RunRestricted(LearningError):
    def __init__(self):
        super().__init__(_("This run is for volunteers of another country or organisation."))


class RunChoiceNeeded(LearningError):
    def __init__(self):
        super().__init__(_("Choose the run to enrol in."))


class RunNotOfCourse(LearningError):
    def __init__(self):
        super().__init__(_("This run does not belong to the course."))


class RunFull(LearningError):
    def __init__(self, run: CourseRun):
        self.run = run
        super().__init__(_("Every seat in “%(run)s” is taken.") % {"run": run.name})


class DeadlinePassed(LearningError):
    def __init__(self):
        super().__init__(
            _(
                "The deadline of your run has passed. Ask the training staff to move you to a later "
                "run or to extend your deadline."
            )
        )


def _default_locale_version(page: Page) -> Page:
    return default_locale_page(page)


_COURSE_AT = Precompiled(lambda path: CoursePage.objects.filter(path=path).order_by("pk")[:1], STAND_IN_TEXT)


def _course_of(lesson: Page) -> CoursePage:
    """The course of a lesson or quiz (two levels up): read on every progress and quiz request."""
    course = _COURSE_AT.first(lesson.path[: -2 * Page.steplen])
    if course is None:
        raise CoursePage.DoesNotExist
    return course


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


def run_lock(run: CourseRun) -> CourseRun:
    """The run's row, locked until the transaction ends: seats are counted and taken under it."""
    return CourseRun.objects.select_for_update(of=("self",)).select_related("organization").get(pk=run.pk)


def run_seats_taken(run: CourseRun) -> int:
    return Enrollment.objects.filter(run=run).count()


def run_has_seat(run: CourseRun) -> bool:
    """Whether a seat is free; call with the run locked (`run_lock`) before taking it."""
    return run.seats is None or run_seats_taken(run) < run.seats


def _run_for_enrolment(
    *, volunteer: Any, course: CoursePage, run: CourseRun | None, by_staff: bool
) -> CourseRun | None:
    """The run an enrolment goes into: None for a course without runs.

    A volunteer enrols themselves only in a run open now and meant for them (its country and
    organisation); with one such run it is chosen for them, with several they choose. Staff
    choose the run (any run of the course that has not ended).
    """
    runs = CourseRun.objects.filter(course=course)
    if run is not None and run.course_id != course.pk:
        raise RunNotOfCourse
    if run is None and not runs.exists():
        return None
    now = timezone.now()
    if by_staff:
        if run is None:
            raise RunChoiceNeeded
        if run.ends <= now:
            raise RunNotOpen
        return run
    if run is not None:
        if not run.is_open_for_enrolment(now):
            raise RunNotOpen
        if not run.admits(volunteer):
            raise RunRestricted
        return run
    open_runs = [
        candidate
        for candidate in runs.filter(enrolment_opens__lte=now, enrolment_closes__gt=now).select_related(
            "organization"
        )
        if candidate.admits(volunteer)
    ]
    if not open_runs:
        raise NoRunOpen
    if len(open_runs) > 1:
        raise RunChoiceNeeded
    return open_runs[0]


@transaction.atomic
def course_enrol(
    *,
    volunteer: Any,
    course: CoursePage,
    actor: Any | None = None,
    source: str = Enrollment.Source.SELF,
    run: CourseRun | None = None,
) -> tuple[Enrollment, bool]:
    """Enrol a volunteer in a course (its default-locale page); returns (enrolment, newly made).

    A volunteer enrolling themselves must have completed the course's prerequisites. Staff may
    enrol without them (they can judge equivalent training); their enrolments are audited.
    Enrolling twice changes nothing. In a course with runs the enrolment goes into `run` (or the
    one open run meant for the volunteer); a full run raises `RunFull` before anything is written
    (`course_run_enrol` puts the volunteer on its waiting list instead).
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
    run = _run_for_enrolment(
        volunteer=volunteer, course=course, run=run, by_staff=source == Enrollment.Source.STAFF
    )
    if run is not None:
        run = run_lock(run)
        if not run_has_seat(run):
            raise RunFull(run)
    try:
        with transaction.atomic():
            enrolment = Enrollment.objects.create(
                volunteer=volunteer, course=course, source=source, enrolled_by=actor, run=run
            )
    except IntegrityError:
        # A concurrent request enrolled them first.
        return Enrollment.objects.get(volunteer=volunteer, course=course), False
    if run is not None:
        # A place in one run ends the wait for any run of the course.
        RunWaitlistEntry.objects.filter(volunteer=volunteer, run__course=course).delete()
    if actor is not None and actor.pk != volunteer.pk:
        data = {"course": course.title, "course_id": course.pk}
        if run is not None:
            data |= {"run": run.name, "run_id": run.pk}
        _log_for_volunteer(volunteer, "courses.enrol", actor, data)
        course_enrolled_notify(user_id=volunteer.pk, course=course)
    return enrolment, True


@dataclass
class RunPlace:
    """Where an enrolment request left the volunteer: enrolled, or waiting for a seat in `run`."""

    enrolment: Enrollment | None
    created: bool = False
    waiting: RunWaitlistEntry | None = None

    @property
    def position(self) -> int | None:
        """The volunteer's place in the queue (1: the next seat freed is theirs)."""
        if self.waiting is None:
            return None
        entry = self.waiting
        return (
            RunWaitlistEntry.objects.filter(run_id=entry.run_id)
            .filter(
                models.Q(created_at__lt=entry.created_at)
                | models.Q(created_at=entry.created_at, pk__lte=entry.pk)
            )
            .count()
        )


@transaction.atomic
def course_run_enrol(
    *,
    volunteer: Any,
    course: CoursePage,
    run: CourseRun | None = None,
    actor: Any | None = None,
    source: str = Enrollment.Source.SELF,
) -> RunPlace:
    """Enrol as `course_enrol` does; when the run is full, put the volunteer on its waiting list.

    The seat count and the waiting list are written under the run's lock, in one transaction, so
    a seat freed in between is never missed.
    """
    try:
        enrolment, created = course_enrol(
            volunteer=volunteer, course=course, run=run, actor=actor, source=source
        )
    except RunFull as full:
        # The failed savepoint let go of the run's lock (PostgreSQL releases it on rollback to a
        # savepoint): take it again before joining the queue, and take a seat freed meanwhile.
        run = run_lock(full.run)
        existing = Enrollment.objects.filter(volunteer=volunteer, course_id=run.course_id).first()
        if existing is not None:  # a request of theirs at the same moment took the last seat
            return RunPlace(enrolment=existing)
        if run_has_seat(run):
            enrolment, created = course_enrol(
                volunteer=volunteer, course=course, run=run, actor=actor, source=source
            )
            return RunPlace(enrolment=enrolment, created=created)
        entry, _made = RunWaitlistEntry.objects.get_or_create(run=run, volunteer=volunteer)
        return RunPlace(enrolment=None, waiting=entry)
    return RunPlace(enrolment=enrolment, created=created)


def _enrolment_query(person: int, course: int):
    return Enrollment.objects.filter(volunteer_id=person, course_id=course).order_by("pk")[:1]


_ENROLMENT = Precompiled(_enrolment_query, STAND_IN_INT, STAND_IN_INT + 1)


def enrolment_for_progress(*, volunteer: Any, course: CoursePage) -> Enrollment:
    """The volunteer's enrolment in the course, when they may still record progress in it.

    Past the deadline of their run (or of staff's extension) they may not, until staff move them to
    a later run or extend it.
    """
    # Compiled once; the run (only a course with runs has one) is read when there is one.
    enrolment = _ENROLMENT.first(volunteer.pk, course.pk)
    if enrolment is None:
        raise NotEnrolled
    deadline = enrolment.deadline
    if deadline is not None and deadline <= timezone.now():
        raise DeadlinePassed
    return enrolment


@transaction.atomic
def lesson_complete(*, volunteer: Any, lesson: LessonPage) -> bool:
    """Record a lesson as done (once; repeats change nothing), then check the course's completion.

    Returns whether this call newly recorded it. The volunteer must be enrolled in the course.
    """
    lesson = _default_locale_version(lesson)
    if not lesson.live:
        raise CourseUnavailable
    course = _course_of(lesson)
    enrolment_for_progress(volunteer=volunteer, course=course)
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
    run_id = (
        Enrollment.objects.filter(volunteer=volunteer, course=course).values_list("run_id", flat=True).first()
    )
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                volunteer=volunteer, course=course, completed_at=completed_at or timezone.now(), run_id=run_id
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


def course_enrol_many(
    *, volunteers: list[Any], course: CoursePage, actor: Any, run: CourseRun | None = None
) -> tuple[int, int, int]:
    """Staff enrol several volunteers (into `run` when the course has runs); returns (newly
    enrolled, already enrolled, put on the run's waiting list because it is full)."""
    new = already = waiting = 0
    with transaction.atomic():
        for volunteer in volunteers:
            place = course_run_enrol(
                volunteer=volunteer, course=course, run=run, actor=actor, source=Enrollment.Source.STAFF
            )
            if place.waiting is not None:
                waiting += 1
            elif place.created:
                new += 1
            else:
                already += 1
    return new, already, waiting


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


def course_enrol_csv(
    *, raw: bytes, course: CoursePage, actor: Any, run: CourseRun | None = None
) -> list[BulkEnrolOutcome]:
    """Staff enrol the volunteers listed by email (first column of a CSV) in a course.

    Each row's outcome is reported; unknown addresses are reported, never created. A country
    coordinator enrols their countries' volunteers only: anyone else's address is refused as one
    no volunteer of theirs has (it says nothing of whether it exists elsewhere).
    """
    if len(raw) > BULK_ENROL_MAX_BYTES:
        raise LearningError(_("The file is larger than 1 MB."))
    rows = _emails_from_csv(raw)
    User = get_user_model()
    volunteers = in_countries(
        User.objects.filter(is_active=True, volunteer_profile__isnull=False),
        actor,
        "volunteer_profile__country",
    )
    unknown = (
        _("No volunteer has this email address.")
        if countries_of(actor) is None
        else _("No volunteer of your countries has this email address.")
    )
    outcomes: list[BulkEnrolOutcome] = []
    with transaction.atomic():
        for line, email in rows:
            try:
                validate_email(email)
            except ValidationError:
                outcomes.append(BulkEnrolOutcome(line, email, "invalid", _("Not an email address.")))
                continue
            volunteer = volunteers.filter(email__iexact=email).first()
            if volunteer is None:
                outcomes.append(BulkEnrolOutcome(line, email, "unknown", unknown))
                continue
            place = course_run_enrol(
                volunteer=volunteer, course=course, run=run, actor=actor, source=Enrollment.Source.STAFF
            )
            if place.waiting is not None:
                outcomes.append(
                    BulkEnrolOutcome(
                        line,
                        email,
                        "waiting",
                        _("The run is full: on its waiting list, number %(position)d.")
                        % {"position": place.position},
                    )
                )
                continue
            created = place.created
            outcomes.append(
                BulkEnrolOutcome(
                    line,
                    email,
                    "enrolled" if created else "already",
                    _("Enrolled; an email is on its way.") if created else _("Already enrolled."),
                )
            )
    return outcomes
