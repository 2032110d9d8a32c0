"""Staff's writes on course runs: moving a volunteer's enrolment to another run, extending their
deadline, and the waiting list that moves up, in order, when a seat frees.

A volunteer keeps one enrolment per course (the `unique_enrollment` constraint): a move changes
its run, it never adds a second enrolment. Lessons done stay done, unless the run moved into
starts afresh; then the volunteer's progress in the course is removed in the same transaction.
Each action is audited on the volunteer's record, as staff enrolment is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.learning.models import CourseCompletion, CourseRun, Enrollment, RunWaitlistEntry
from courses.learning.notices import run_deadline_extended_notify, run_moved_notify, run_seat_offered_notify
from courses.learning.outlines import PROGRESS_SOURCES
from courses.learning.services import (
    LearningError,
    RunFull,
    RunNotOfCourse,
    RunNotOpen,
    _log_for_volunteer,
    run_has_seat,
    run_lock,
)


class AlreadyCompleted(LearningError):
    def __init__(self):
        super().__init__(_("The volunteer has completed this course; their enrolment stays in its run."))


class ExtensionInThePast(LearningError):
    def __init__(self):
        super().__init__(_("Choose a new deadline in the future."))


def _course_progress_clear(*, enrolment: Enrollment) -> int:
    """Remove the volunteer's progress in the course (lessons done, quiz results): a fresh start."""
    removed = 0
    path = enrolment.course.path
    for _kind, model, target, _passed in PROGRESS_SOURCES:
        deleted, _per_model = model.objects.filter(
            volunteer_id=enrolment.volunteer_id, **{f"{target}__path__startswith": path}
        ).delete()
        removed += deleted
    return removed


@transaction.atomic
def run_waitlist_advance(*, run: CourseRun) -> list[Enrollment]:
    """Give the run's free seats to the volunteers waiting longest, in order; each is told.

    Called in the transaction that freed the seat, with the run locked. A run that has ended
    takes nobody more.
    """
    run = run_lock(run)
    enrolled: list[Enrollment] = []
    if run.ends <= timezone.now():
        return enrolled
    for entry in (
        RunWaitlistEntry.objects.filter(run=run).select_related("volunteer").order_by("created_at", "pk")
    ):
        if not run_has_seat(run):
            break
        volunteer = entry.volunteer
        entry.delete()
        if Enrollment.objects.filter(volunteer=volunteer, course_id=run.course_id).exists():
            continue
        enrolment = Enrollment.objects.create(
            volunteer=volunteer, course_id=run.course_id, run=run, source=Enrollment.Source.SELF
        )
        RunWaitlistEntry.objects.filter(volunteer=volunteer, run__course_id=run.course_id).delete()
        run_seat_offered_notify(user_id=volunteer.pk, run=run)
        enrolled.append(enrolment)
    return enrolled


@transaction.atomic
def enrolment_move(*, enrolment: Enrollment, run: CourseRun, actor: Any) -> Enrollment:
    """Staff move a volunteer's enrolment to another run of its course (one that has not ended).

    The seat taken in the new run is counted under its lock; the seat left in the old run goes to
    its waiting list. An extension of the old deadline ends with the move.
    """
    enrolment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "run")
        .get(pk=enrolment.pk)
    )
    if run.course_id != enrolment.course_id:
        raise RunNotOfCourse
    if CourseCompletion.objects.filter(
        volunteer_id=enrolment.volunteer_id, course_id=enrolment.course_id
    ).exists():
        raise AlreadyCompleted
    if run.pk == enrolment.run_id:
        return enrolment
    # Lock both runs in one order, so two moves in opposite directions never wait on each other.
    involved = sorted({run.pk, *([enrolment.run_id] if enrolment.run_id else [])})
    locked = {pk: run_lock(CourseRun(pk=pk)) for pk in involved}
    target = locked[run.pk]
    if target.ends <= timezone.now():
        raise RunNotOpen
    if not run_has_seat(target):
        raise RunFull(target)
    previous = enrolment.run
    enrolment.run = target
    enrolment.deadline_extended_to = None
    enrolment.reminded_at = None
    enrolment.save(update_fields=["run", "deadline_extended_to", "reminded_at"])
    RunWaitlistEntry.objects.filter(
        volunteer_id=enrolment.volunteer_id, run__course_id=enrolment.course_id
    ).delete()
    cleared = _course_progress_clear(enrolment=enrolment) if target.fresh_start else 0
    _log_for_volunteer(
        enrolment.volunteer,
        "courses.run_move",
        actor,
        {
            "course": enrolment.course.title,
            "course_id": enrolment.course_id,
            "from_run": previous.name if previous else None,
            "from_run_id": previous.pk if previous else None,
            "run": target.name,
            "run_id": target.pk,
            "progress_cleared": cleared,
        },
    )
    run_moved_notify(user_id=enrolment.volunteer_id, run=target)
    if previous is not None:
        run_waitlist_advance(run=previous)
    return enrolment


@transaction.atomic
def enrolment_extend(*, enrolment: Enrollment, until: datetime.datetime, actor: Any) -> Enrollment:
    """Staff give one volunteer a later deadline than their run's; audited."""
    if until <= timezone.now():
        raise ExtensionInThePast
    enrolment = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "run")
        .get(pk=enrolment.pk)
    )
    previous = enrolment.deadline
    enrolment.deadline_extended_to = until
    enrolment.save(update_fields=["deadline_extended_to"])
    _log_for_volunteer(
        enrolment.volunteer,
        "courses.deadline_extend",
        actor,
        {
            "course": enrolment.course.title,
            "course_id": enrolment.course_id,
            "run": enrolment.run.name if enrolment.run else None,
            "previous_deadline": previous.isoformat() if previous else None,
            "deadline": until.isoformat(),
        },
    )
    run_deadline_extended_notify(user_id=enrolment.volunteer_id, enrolment=enrolment)
    return enrolment
