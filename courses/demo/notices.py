"""The demo's reminder and digests, sent by the real jobs with their clocks set ahead.

The demo volunteer stopped halfway through the orientation course (`courses.demo.learning`): the
reminder job, run at the moment the course's days of inactivity are over, reminds them once, with
a link to the lesson they stopped at. The
weekly digest job, run at the coming Monday 08:10 Bangkok time, gives the demo trainer and staff
this week's digest. Running the seeders again sends nothing more: a reminder waits for new
activity, a digest is once per week.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.learning.models import Enrollment
from courses.learning.reminders import course_reminders_send, last_activity
from courses.reports.digests import digest_week, weekly_digests_send

DEMO_VOLUNTEER = "volunteer@example.org"


def seed_course_reminder() -> None:
    volunteer = get_user_model().objects.get(email=DEMO_VOLUNTEER)
    course = CoursePage.objects.get(slug="orientation", depth=4, locale__language_code="th")
    enrolment = Enrollment.objects.get(volunteer=volunteer, course=course)
    latest = max(
        enrolment.enrolled_at,
        last_activity(course=course, volunteer_ids=[volunteer.pk]).get(volunteer.pk, enrolment.enrolled_at),
    )
    if enrolment.reminded_at is not None and enrolment.reminded_at >= latest:
        return  # reminded already
    course_reminders_send(now=latest + datetime.timedelta(days=course.remind_after_days, hours=1))


def seed_weekly_digests() -> None:
    until, _week = digest_week(timezone.now())
    coming_monday = until + datetime.timedelta(weeks=1, minutes=10)
    weekly_digests_send(now=coming_monday)
