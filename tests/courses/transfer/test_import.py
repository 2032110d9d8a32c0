"""Importing a course package: drafts submitted for review, idempotent, media reused by content."""

import io

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, WorkflowState

from courses.models import CoursePage, LessonPage
from courses.transfer.importer import course_import
from tests.courses.transfer.helpers import course_json, exported, move_out_of_the_way, with_course_json

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


def test_a_course_new_to_the_site_arrives_unpublished_and_each_page_is_submitted_for_review(
    small_course, lead
):
    package = exported(small_course)
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package), user=lead)

    pages = Page.objects.filter(path__startswith=result.course.path)
    assert pages.count() == 3 and len(result.created) == 3
    assert not pages.filter(live=True).exists()
    states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS, requested_by=lead)
    assert sorted(int(state.object_id) for state in states) == sorted(pages.values_list("pk", flat=True))
    assert result.submitted == 3
    assert str(result.course.translation_key) == course_json(package)["course"]["key"]


def test_images_and_documents_with_the_same_bytes_as_ones_here_are_reused_not_copied(small_course, lead):
    package = exported(small_course)
    move_out_of_the_way(small_course)
    before = counts()

    course_import(io.BytesIO(package), user=lead)

    assert counts()["images"] == before["images"]
    assert counts()["documents"] == before["documents"]


def test_media_new_to_the_site_are_created_under_content_addressed_names(small_course, lead):
    package = exported(small_course)
    data = course_json(package)
    move_out_of_the_way(small_course)
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()

    result = course_import(io.BytesIO(package), user=lead)

    image = get_image_model().objects.get()
    assert image.title == "Figure"
    sha256 = data["media"]["images"][0]["path"].rsplit("/", 1)[1].split(".")[0]
    assert sha256[:16] in image.file.name
    document = get_document_model().objects.get()
    assert document.file.read() == b"Bring your passport."
    lesson = LessonPage.objects.get(path__startswith=result.course.path)
    latest = lesson.get_latest_revision_as_object()
    assert latest.body[1].value["image"].pk == image.pk
    assert latest.body[2].value["document"].pk == document.pk


def test_importing_the_same_package_twice_changes_nothing_the_second_time(small_course, lead):
    package = exported(small_course)
    move_out_of_the_way(small_course)
    course_import(io.BytesIO(package), user=lead)
    before = counts()

    result = course_import(io.BytesIO(package), user=lead)

    assert counts() == before
    assert (result.created, result.changed, result.unchanged, result.submitted) == ([], [], 3, 0)


def test_importing_a_course_already_here_unchanged_writes_no_revision(small_course, lead):
    package = exported(small_course)
    before = counts()

    result = course_import(io.BytesIO(package), user=lead)

    assert counts() == before
    assert result.unchanged == 3 and result.course.pk == small_course.pk


def test_a_changed_page_gets_a_new_revision_in_review_and_its_live_content_stays(small_course, lead):
    def retitle_lesson(data):
        data["course"]["children"][0]["children"][0]["title"] = "A clearer lesson title"

    package = with_course_json(exported(small_course), retitle_lesson)

    result = course_import(io.BytesIO(package), user=lead)

    lesson = LessonPage.objects.get(path__startswith=small_course.path)
    assert [page.pk for page in result.changed] == [lesson.pk] and result.unchanged == 2
    assert lesson.live and lesson.title == "Small course lesson"
    assert lesson.get_latest_revision_as_object().title == "A clearer lesson title"
    assert lesson.workflow_in_progress
    assert CoursePage.objects.get(pk=small_course.pk).has_unpublished_changes is False


def test_without_a_user_the_drafts_are_saved_but_not_submitted(small_course):
    package = exported(small_course)
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package))

    assert result.submitted == 0 and len(result.created) == 3
    assert not WorkflowState.objects.exists()


def test_openpyxl_reads_spreadsheets_with_defusedxml():
    # Issue 23: XML read with defusedxml, openpyxl too (it uses defusedxml when it is installed).
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
