"""`manage.py course_export` and `course_import` (issue 23)."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from courses.models import CoursePage
from tests.courses.transfer.helpers import exported, move_out_of_the_way
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_course_export_writes_the_package_to_the_file_named(small_course, tmp_path):
    target = tmp_path / "course.zip"

    call_command("course_export", small_course.slug, "-o", str(target))

    assert target.read_bytes() == exported(small_course)


def test_course_export_of_an_unknown_address_fails():
    with pytest.raises(CommandError):
        call_command("course_export", "no-such-course")


def test_course_import_loads_the_package_as_drafts_submitted_by_the_user_given(small_course, lead, tmp_path):
    target = tmp_path / "course.zip"
    target.write_bytes(exported(small_course))
    move_out_of_the_way(small_course)

    call_command("course_import", str(target), "--user", lead.email)

    course = CoursePage.objects.get(slug=small_course.slug)
    assert not course.live and course.workflow_in_progress


def test_course_import_refuses_a_trainer_as_the_user(small_course, tmp_path):
    trainer = make_user(group="Trainers")
    target = tmp_path / "course.zip"
    target.write_bytes(exported(small_course))
    before = Page.objects.count()

    with pytest.raises(CommandError):
        call_command("course_import", str(target), "--user", trainer.email)

    assert Page.objects.count() == before


def test_course_import_of_a_refused_package_fails_naming_the_file(tmp_path):
    target = tmp_path / "course.zip"
    target.write_bytes(b"not a zip")

    with pytest.raises(CommandError, match=r"Refused: \(zip\)"):
        call_command("course_import", str(target))
