"""Deadline reminders: a volunteer enrolled in a run (or given an extension) who has not completed
the course is told once, a week before their deadline, with a link back to where they stopped and
what to do if they cannot finish in time.

The scheduler runs `run_deadline_reminders_send` every hour. A person inside their quiet hours is
skipped and reminded by the first run after they end. The enrolment keeps the deadline it reminded
of, so a new deadline (an extension, a move to another run) is reminded of again; the
notification's key (enrolment and deadline) makes the message once-only even if two runs overlap.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.learning.models import CourseCompletion, Enrollment
from courses.learning.notices import run_deadline_soon_notify
from training.dates import issuer_zone, local_date
from training.notices import in_quiet_window

logger = logging.getLogger(__name__)

REMIND_BEFORE_DAYS = 7


def run_deadline_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind each volunteer whose deadline is within a week and who has not completed the course,
    once per deadline. Returns how many were reminded and how many wait for their quiet hours."""
    now = now or timezone.now()
    sent = waiting = 0
    enrolments = (
        Enrollment.objects.filter(volunteer__is_active=True)
        .filter(Q(run__isnull=False) | Q(deadline_extended_to__isnull=False))
        .annotate(due=Coalesce("deadline_extended_to", "run__ends"))
        .filter(due__gt=now, due__lte=now + datetime.timedelta(days=REMIND_BEFORE_DAYS))
        .exclude(deadline_reminded_for=F("due"))
        .exclude(
            Exists(
                CourseCompletion.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course"))
            )
        )
        .select_related("run", "course")
        .order_by("pk")
    )
    for enrolment in enrolments:
        if in_quiet_window(enrolment.volunteer_id, now):
            waiting += 1
            continue
        days = (local_date(enrolment.due, issuer_zone()) - local_date(now, issuer_zone())).days
        try:
            with transaction.atomic():
                run_deadline_soon_notify(
                    user_id=enrolment.volunteer_id, enrolment=enrolment, days=max(days, 0)
                )
                Enrollment.objects.filter(pk=enrolment.pk).update(deadline_reminded_for=enrolment.due)
        except Exception:  # one person's failure must not stop everyone else's reminder
            logger.exception(
                "The deadline reminder of enrolment %s failed; the next run tries again", enrolment.pk
            )
            continue
        sent += 1
    if sent or waiting:
        logger.info("Deadline reminders: %s sent, %s waiting for the end of quiet hours", sent, waiting)
    return {"reminded": sent, "waiting_for_quiet_hours_to_end": waiting}
