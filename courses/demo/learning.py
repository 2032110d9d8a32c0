"""Demo learning for `seed_demo`: the demo volunteer's enrolments, progress and a completed course.

Goes through the learning services, so running it again changes nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from courses.authoring.models import CoursePage, LessonPage
from courses.learning.services import course_enrol, lesson_complete

DEMO_VOLUNTEER = "volunteer@example.org"
# Lessons of the orientation course marked done, so the dashboard shows a course in progress.
ORIENTATION_LESSONS_DONE = 3


@transaction.atomic
def seed_learning() -> None:
    volunteer = get_user_model().objects.get(email=DEMO_VOLUNTEER)
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(locale__language_code="th", depth=4).filter(
            slug__in=["orientation", "how-to-use-this-platform"]
        )
    }
    platform = courses["how-to-use-this-platform"]
    course_enrol(volunteer=volunteer, course=platform)
    for lesson in LessonPage.objects.descendant_of(platform).live().order_by("path"):
        lesson_complete(volunteer=volunteer, lesson=lesson)
    orientation = courses["orientation"]
    course_enrol(volunteer=volunteer, course=orientation)
    lessons = LessonPage.objects.descendant_of(orientation).live().filter(is_required=True).order_by("path")
    for lesson in lessons[:ORIENTATION_LESSONS_DONE]:
        lesson_complete(volunteer=volunteer, lesson=lesson)
