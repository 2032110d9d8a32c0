"""Learning data in the privacy registry and the demo: export, erasure, and the demo volunteer's progress."""

import pytest
from django.core.management import call_command

from courses.learning.selectors import learning_dashboard
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, Enrollment, LessonProgress
from tests.factories import make_course_tree, make_user, make_volunteer
from volunteers.privacy import privacy_providers

pytestmark = pytest.mark.django_db


def learning_provider():
    return next(provider for provider in privacy_providers() if provider.label == "learning")


def test_a_volunteers_export_lists_enrolments_lessons_done_and_completions():
    course, _module, lesson = make_course_tree(title="Orientation")
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    lesson_complete(volunteer=user, lesson=lesson)
    data = learning_provider().export(user)
    assert [row["course"] for row in data["enrolments"]] == ["Orientation"]
    assert [row["lesson"] for row in data["lessons_done"]] == [lesson.title]
    assert [row["course"] for row in data["courses_completed"]] == ["Orientation"]


def test_erasure_removes_progress_and_enrolments_and_unlinks_staff_who_enrolled_others():
    course, _module, lesson = make_course_tree(title="Orientation")
    user = make_volunteer().user
    staff = make_user(group="Staff")
    other = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    lesson_complete(volunteer=user, lesson=lesson)
    course_enrol(volunteer=other, course=course, actor=staff, source=Enrollment.Source.STAFF)
    learning_provider().erase(user, [user.email])
    learning_provider().erase(staff, [staff.email])
    assert not LessonProgress.objects.filter(volunteer=user).exists()
    assert not Enrollment.objects.filter(volunteer=user).exists()
    assert Enrollment.objects.get(volunteer=other).enrolled_by is None
    assert CourseCompletion.objects.filter(volunteer=user).exists()


def test_the_demo_volunteer_has_a_course_in_progress_and_the_platform_course_completed(demo):
    from django.contrib.auth import get_user_model

    # Over the demo, seeded again: a second run converges to the same progress.
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    volunteer = get_user_model().objects.get(email="volunteer@example.org")
    board = learning_dashboard(user=volunteer, language_code="th")
    assert [outline.source_course.slug for outline in board.in_progress] == ["orientation"]
    assert 0 < board.in_progress[0].percent < 100
    assert [outline.source_course.slug for outline in board.completed] == ["how-to-use-this-platform"]
    assert CourseCompletion.objects.filter(volunteer=volunteer).count() == 1
