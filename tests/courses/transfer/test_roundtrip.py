"""Export, import into a site without the course, export again: the same package (issue 23)."""

import io

import pytest

from courses.models import CoursePage
from courses.transfer.importer import course_import
from tests.courses.transfer.helpers import (
    course_json,
    demo_courses,
    exported,
    first_difference,
    move_out_of_the_way,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_every_demo_course_exports_imports_into_a_site_without_it_and_exports_to_the_same_bytes(demo):
    lead = make_user(group="Lead trainers")
    courses = demo_courses()
    assert len(courses) >= 4
    for course in courses:
        first = exported(course)
        move_out_of_the_way(course)
        result = course_import(io.BytesIO(first), user=lead)
        assert result.course.pk != course.pk
        second = exported(CoursePage.objects.get(pk=result.course.pk))
        assert course_json(second) == course_json(first), first_difference(
            course_json(second), course_json(first)
        )
        assert second == first, course.slug
