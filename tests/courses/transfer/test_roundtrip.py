"""Export, import into a site without the course, export again: the same package (issue 23)."""

import io

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

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


def test_a_demo_course_imported_where_neither_it_nor_its_media_exist_exports_to_the_same_bytes(demo):
    lead = make_user(group="Lead trainers")
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    first = exported(course)
    assert course_json(first)["media"]["images"] and course_json(first)["media"]["documents"]
    move_out_of_the_way(course)
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()

    result = course_import(io.BytesIO(first), user=lead)

    assert get_image_model().objects.count() == len(course_json(first)["media"]["images"])
    assert exported(CoursePage.objects.get(pk=result.course.pk)) == first
