"""Builders for course-run tests: a run of a course, open for enrolment now unless told otherwise."""

import datetime

from django.utils import timezone

from courses.learning.models import CourseRun

DAY = datetime.timedelta(days=1)


def make_run(
    course, *, name: str | None = None, opens_in: int = -1, closes_in: int = 10, **fields
) -> CourseRun:
    """A run of `course` whose enrolment opened `-opens_in` days ago and closes in `closes_in` days."""
    now = timezone.now()
    values = {
        "name": name or f"รุ่นที่ {CourseRun.objects.filter(course=course).count() + 1} / 2570",
        "enrolment_opens": now + opens_in * DAY,
        "enrolment_closes": now + closes_in * DAY,
        "starts": now + closes_in * DAY,
        "ends": now + (closes_in + 60) * DAY,
        **fields,
    }
    return CourseRun.objects.create(course=course, **values)
