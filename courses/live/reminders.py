"""Reminders of live sessions: each volunteer enrolled in a session's run is told once, in the day
before it starts, with the time in their own zone and in Bangkok time and a link to the session's
page (which shows the meeting link shortly before the start).

The scheduler runs `live_session_reminders_send` every hour. A person inside their quiet hours is
skipped and reminded by the first run after their quiet hours end, if the session has not started
by then. `SessionReminder` keeps who was reminded; the notification's key (session and start time)
makes the message once-only even if two runs overlap.
"""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from courses.learning.models import CourseCompletion, Enrollment
from courses.live.models import LiveSession, SessionReminder
from courses.live.notices import live_session_reminder_notify
from training.notices import in_quiet_window

logger = logging.getLogger(__name__)

REMIND_BEFORE = datetime.timedelta(hours=24)


def live_session_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the volunteers of every session starting within a day who were not reminded yet (and
    have not completed the course already). Returns how many were reminded and how many wait."""
    now = now or timezone.now()
    sent = waiting = 0
    sessions = LiveSession.objects.filter(starts__gt=now, starts__lte=now + REMIND_BEFORE).select_related(
        "run", "run__course"
    )
    for session in sessions:
        enrolments = (
            Enrollment.objects.filter(run=session.run, volunteer__is_active=True)
            .exclude(Exists(SessionReminder.objects.filter(session=session, volunteer=OuterRef("volunteer"))))
            .exclude(
                Exists(
                    CourseCompletion.objects.filter(
                        volunteer=OuterRef("volunteer"), course=OuterRef("course")
                    )
                )
            )
            .select_related("volunteer__volunteer_profile")
            .order_by("pk")
        )
        for enrolment in enrolments:
            if in_quiet_window(enrolment.volunteer_id, now):
                waiting += 1
                continue
            profile = getattr(enrolment.volunteer, "volunteer_profile", None)
            zone_name = profile.reader_time_zone if profile is not None else ""
            try:
                with transaction.atomic():
                    SessionReminder.objects.create(session=session, volunteer_id=enrolment.volunteer_id)
                    live_session_reminder_notify(
                        user_id=enrolment.volunteer_id, session=session, zone_name=zone_name
                    )
            except IntegrityError:
                continue  # another run reminded them a moment ago
            except Exception:  # one person's failure must not stop everyone else's reminder
                logger.exception(
                    "The reminder of session %s for enrolment %s failed", session.pk, enrolment.pk
                )
                continue
            sent += 1
    if sent or waiting:
        logger.info("Live session reminders: %s sent, %s waiting for the end of quiet hours", sent, waiting)
    return {"reminded": sent, "waiting_for_quiet_hours_to_end": waiting}
