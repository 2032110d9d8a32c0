"""The demo courses are course packages (courses/demo/packages/) that `seed_demo` imports."""

import io
import json
import re
import zipfile

import pytest
from wagtail.models import Page

from courses.demo.courses import COURSES, PACKAGES, package_data, package_files, package_zip
from courses.models import CourseIndexPage, CoursePage
from courses.transfer.checking import read_package
from courses.transfer.export import course_export
from courses.transfer.format import COURSE_FILE, json_bytes
from tests.journeys.data_text import texts_in

pytestmark = pytest.mark.django_db

THAI = re.compile("[\u0e00-\u0e7f]")


def test_every_demo_course_is_a_package_folder_and_nothing_else_is():
    assert sorted(path.name for path in PACKAGES.iterdir() if path.is_dir()) == sorted(COURSES)


@pytest.mark.parametrize("slug", COURSES)
def test_each_demo_package_passes_every_check_of_an_import(slug):
    """The same checks a lead trainer's upload meets (schema, page types, rich text, media bytes)."""
    package = read_package(io.BytesIO(package_zip(slug)))
    try:
        assert package.data["course"]["slug"] == slug
    finally:
        package.close()


def test_the_seeded_demo_exports_as_its_packages_byte_for_byte(demo):
    """So the packages are the demo: what `seed_demo` makes of them is what they hold, and a change
    made in the admin and exported over a folder is the change the next seeding shows."""
    for slug in COURSES:
        out = io.BytesIO()
        course_export(CoursePage.objects.get(slug=slug, locale__language_code="th"), out)
        with zipfile.ZipFile(out) as exported:
            files = {name: exported.read(name) for name in exported.namelist()}
        expected = package_files(slug)
        assert list(files) == list(expected), slug
        # The one value of the exporting site rather than of the course: where it was exported from.
        exported = json.loads(files[COURSE_FILE])
        exported["source_site"] = package_data(slug)["source_site"]
        files[COURSE_FILE] = json_bytes(exported)
        for name, data in expected.items():
            assert files[name] == data, f"{slug}: {name}"


def test_the_demo_courses_are_imported_published_and_logged_as_imports(demo):
    from wagtail.models import PageLogEntry

    for slug in COURSES:
        data = package_data(slug)
        course = CoursePage.objects.get(translation_key=data["course"]["key"], locale__language_code="th")
        pages = Page.objects.descendant_of(course, inclusive=True)
        assert not pages.filter(live=False).exists()
        assert PageLogEntry.objects.filter(page=course, action="courses.course_import").exists()


def test_no_english_demo_page_holds_thai_text(demo):
    """Every text of every English demo page is English: its title, fields and every block, key
    points and question-and-answer items included (wagtail-localize leaves a list of plain strings
    out of its segments, so they are checked here, not by counting untranslated segments)."""
    english = CourseIndexPage.objects.get(locale__language_code="en")
    found = []
    for page in Page.objects.descendant_of(english, inclusive=True).specific():
        for name, value in json.loads(json.dumps(page.serializable_data(), default=str)).items():
            if name in {"translation_key", "url_path", "slug", "tags", "prerequisites"}:
                continue
            found += [f"{page.title}: {name}: {text[:60]}" for text in texts_in(value) if THAI.search(text)]
    assert found == []
