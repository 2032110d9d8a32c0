"""Importing a course package: drafts submitted for review, idempotent, media reused by content."""

import io

import pytest
from bs4 import BeautifulSoup
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

from courses.models import CoursePage, LessonPage
from courses.transfer.importer import course_import
from tests.courses.transfer.helpers import course_json, exported, move_out_of_the_way, with_course_json
from tests.factories import make_course_tree

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "workflows": WorkflowState.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "history": PageLogEntry.objects.count(),
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


def test_a_lead_trainer_approving_an_imported_page_publishes_it(small_course, lead):
    package = exported(small_course)
    move_out_of_the_way(small_course)
    result = course_import(io.BytesIO(package), user=lead)
    course = CoursePage.objects.get(pk=result.course.pk)

    course.current_workflow_task_state.approve(user=lead)

    course.refresh_from_db()
    assert course.live and not course.workflow_in_progress
    assert course.title == "Small course"


def test_a_link_to_a_page_travels_by_its_key_and_lands_on_the_page_of_that_key_here(lead):
    other, _module, _lesson = make_course_tree(title="Other course")
    body = [
        {
            "type": "text",
            "value": f'<p>First read <a linktype="page" id="{other.pk}">the other course</a>.</p>',
        }
    ]
    course, _module, _lesson = make_course_tree(title="Linking course", body=body)
    package = exported(course)
    text = lesson_node(course_json(package))["fields"]["body"][0]["value"]
    assert BeautifulSoup(text, "html.parser").a["id"] == str(other.translation_key)
    move_out_of_the_way(course)

    result = course_import(io.BytesIO(package), user=lead)

    lesson = LessonPage.objects.get(path__startswith=result.course.path)
    stored = lesson.get_latest_revision_as_object().body.raw_data[0]["value"]
    link = BeautifulSoup(stored, "html.parser").a
    assert (link["linktype"], link["id"]) == ("page", str(other.pk))
    assert exported(CoursePage.objects.get(pk=result.course.pk)) == package


def test_a_link_to_a_page_not_on_this_site_keeps_its_text_without_the_link(small_course, lead):
    def link_elsewhere(data):
        lesson_node(data)["fields"]["body"][0]["value"] = (
            '<p>Read <a linktype="page" id="0b6f2a8e-7d9b-4a51-9d7e-3f1c2b4a5e6d">elsewhere</a>.</p>'
        )

    package = with_course_json(exported(small_course), link_elsewhere)
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package), user=lead)

    lesson = LessonPage.objects.get(path__startswith=result.course.path)
    assert lesson.get_latest_revision_as_object().body.raw_data[0]["value"] == "<p>Read elsewhere.</p>"


def lesson_node(data):
    return data["course"]["children"][0]["children"][0]


def test_the_english_translation_arrives_below_a_catalog_translation_made_when_the_site_has_none(
    small_course, lead
):
    from wagtail.models import Locale

    from courses.models import CourseIndexPage
    from training.demo import seed_site

    seed_site()
    english = Locale.objects.get(language_code="en")
    translated = small_course.copy_for_translation(english, copy_parents=True)
    translated.title = translated.draft_title = "Small course in English"
    translated.save_revision().publish()
    package = exported(small_course)
    assert [node["title"] for node in course_json(package)["translations"]["en"]] == [
        "Small course in English"
    ]
    CourseIndexPage.objects.get(locale=english).delete()
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package), user=lead)

    imported = CoursePage.objects.get(translation_key=result.course.translation_key, locale=english)
    assert imported.title == "Small course in English" and not imported.live
    assert isinstance(imported.get_parent().specific, CourseIndexPage)
    assert imported.get_parent().locale_id == english.pk
    assert imported.workflow_in_progress


def test_on_a_new_site_whose_home_page_has_no_english_yet_the_translation_arrives_with_its_parents(
    small_course, lead
):
    """A new production site: migrate made the Thai home page and catalog; staff added English as a
    language and nothing else. The English course comes with an English home and catalog, as drafts."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage

    english, _ = Locale.objects.get_or_create(language_code="en")
    translated = small_course.copy_for_translation(english, copy_parents=True)
    translated.title = translated.draft_title = "Small course in English"
    translated.save_revision().publish()
    package = exported(small_course)
    english_home = translated.get_parent().get_parent()
    english_home.delete()  # the English home, its catalog and the course: as a site that had none
    assert not Page.objects.filter(locale=english).exists()
    move_out_of_the_way(small_course)

    result = course_import(io.BytesIO(package), user=lead)

    imported = CoursePage.objects.get(translation_key=result.course.translation_key, locale=english)
    catalog = imported.get_parent().specific
    assert isinstance(catalog, CourseIndexPage) and catalog.locale_id == english.pk
    assert catalog.get_parent().locale_id == english.pk
    assert not imported.live
