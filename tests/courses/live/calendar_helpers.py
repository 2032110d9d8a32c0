"""Builders for the calendar tests: a course with a run, a volunteer enrolled in it, its sessions."""

import datetime

from django.utils import timezone
from wagtail.models import Locale

from courses.learning.services import course_enrol
from courses.live.models import LiveSession
from tests.courses.learning.run_helpers import make_run
from tests.factories import catalog_page, make_course_tree, make_volunteer

MEETING_URL = "https://meet.example.org/secret-room-4711"


def make_session(run, *, title: str = "วงสนทนากับเครือข่ายไทยในนอร์เวย์", hours_from_now: float = 48, **fields):
    values = {
        "starts": timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours_from_now),
        "duration_minutes": 90,
        "meeting_url": MEETING_URL,
        "description": "เตรียมคำถามเรื่องการส่งต่อผู้ประสบปัญหา",
        **fields,
    }
    return LiveSession.objects.create(run=run, title=title, **values)


def run_with_volunteer(*, title: str = "การช่วยเหลือผู้ถูกกระทำความรุนแรง", **volunteer_fields):
    """(course, run, volunteer profile enrolled in the run)."""
    course, _module, _lesson = make_course_tree(title=title)
    run = make_run(course)
    profile = make_volunteer(**volunteer_fields)
    course_enrol(volunteer=profile.user, course=course, run=run)
    return course, run, profile


def translate_course(course, title: str):
    """A live English translation of `course`, titled `title`."""
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")
    english = course.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = title
    english.save_revision().publish()
    return english
