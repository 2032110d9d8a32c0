"""The demo courses that `seed_demo` builds: a full orientation course and two short ones."""

import pytest
from wagtail.models import Locale, Page

from courses.authoring.blocks import LessonBodyBlock
from courses.models import CoursePage, HelpLine, LessonPage, ModulePage, QuizPage

pytestmark = pytest.mark.django_db


def test_the_orientation_course_has_five_modules_twelve_lessons_and_every_block_type(demo):
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    assert ModulePage.objects.child_of(course).live().count() >= 5
    lessons = LessonPage.objects.descendant_of(course).live()
    assert lessons.count() >= 12
    used = {block.block_type for lesson in lessons for block in lesson.body}
    assert used == set(LessonBodyBlock.base_blocks)
    assert lessons.filter(is_sensitive=True).exists()
    assert course.cover_image is not None and course.cover_alt
    assert course.required_for_registration and course.issues_certificate
    assert course.get_workflow().name == "ตรวจทานหลักสูตร"


def test_the_follow_up_course_needs_the_orientation_course_first(demo):
    follow_up = CoursePage.objects.get(slug="case-practice", locale__language_code="th")
    assert [course.slug for course in follow_up.prerequisites.all()] == ["orientation"]


def test_the_platform_course_has_no_prerequisite_and_issues_no_certificate(demo):
    platform = CoursePage.objects.get(slug="how-to-use-this-platform", locale__language_code="th")
    assert not platform.prerequisites.exists()
    assert not platform.issues_certificate


def test_the_demo_catalog_shows_the_courses_with_their_images(demo, client):
    html = client.get("/courses/").content.decode()
    for title in CoursePage.objects.live().filter(locale__language_code="th").values_list("title", flat=True):
        assert title in html
    assert html.count("<picture>") >= 3


def test_every_demo_lesson_renders(demo, client):
    for lesson in LessonPage.objects.live():
        assert client.get(lesson.url).status_code == 200, lesson.url


def test_the_demo_has_help_lines_for_thailand_and_norway(demo):
    assert set(HelpLine.objects.values_list("country", flat=True)) == {"TH", "NO"}


def test_the_english_catalog_exists(demo, client):
    assert client.get("/en/courses/").status_code == 200


def test_the_english_catalog_introduction_is_english_and_translated_with_wagtail_localize(demo, client):
    from wagtail_localize.models import Translation

    from courses.models import CourseIndexPage

    html = client.get("/en/courses/").content.decode()
    intro = html.split('<div class="intro">', 1)[1].split("</div>", 1)[0]
    assert "Choose a course, filter by topic, or search the text of the lessons." in intro
    assert "เลือกหลักสูตร" not in intro
    catalog = CourseIndexPage.objects.get(depth=3, locale__language_code="en")
    assert catalog.title == "Courses"
    assert Translation.objects.filter(
        source__object_id=catalog.translation_key, target_locale=catalog.locale
    ).exists()
    assert "เลือกหลักสูตร" in client.get("/courses/").content.decode()  # the Thai catalog keeps its own


def test_the_orientation_course_is_bilingual_with_the_same_modules_and_lessons(demo, client):
    thai = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    english = CoursePage.objects.get(slug="orientation", locale__language_code="en")
    assert english.translation_key == thai.translation_key and english.live
    thai_lessons = LessonPage.objects.descendant_of(thai).live().order_by("path")
    english_lessons = LessonPage.objects.descendant_of(english).live().order_by("path")
    assert [lesson.translation_key for lesson in english_lessons] == [
        lesson.translation_key for lesson in thai_lessons
    ]
    for thai_lesson, english_lesson in zip(thai_lessons, english_lessons, strict=True):
        assert [b.block_type for b in english_lesson.body] == [b.block_type for b in thai_lesson.body]
    html = client.get("/en/courses/").content.decode()
    assert "Orientation for overseas social development volunteers" in html
    assert "This course is not translated yet and is shown in Thai." in html  # the follow-up course


def test_the_english_demo_is_a_wagtail_localize_translation_with_every_string_translated(demo, client):
    from wagtail_localize.models import StringSegment, StringTranslation, Translation

    thai = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    english_pages = Page.objects.descendant_of(
        CoursePage.objects.get(slug="orientation", locale__language_code="en"), inclusive=True
    )
    for page in english_pages.specific():
        translation = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=page.locale
        )
        assert translation.enabled
        segments = StringSegment.objects.filter(source=translation.source)
        untranslated = [
            segment.string.data
            for segment in segments.select_related("string", "context")
            if not StringTranslation.objects.filter(
                translation_of=segment.string, context=segment.context, locale=page.locale
            ).exists()
        ]
        assert untranslated == [], page.title
    thai_quiz = QuizPage.objects.descendant_of(thai).order_by("path").first()
    english_quiz = thai_quiz.get_translation(Locale.objects.get(language_code="en")).specific
    assert [b["id"] for b in english_quiz.questions.raw_data] == [
        b["id"] for b in thai_quiz.questions.raw_data
    ]
    assert "<li>volunteer role</li>" in client.get("/en/courses/").content.decode()  # English topics


def test_every_worker_holds_the_demos_files_and_signs_with_the_demos_key(demo, client):
    """One worker seeds the demo for the whole run (tests/demo_copy.py); whichever worker runs this
    has the demo's certificate PDFs in its own private storage, and signs with the key that signed
    the demo's credentials, as after `seed_demo` in one process."""
    from django.core.files.storage import storages

    from certificates.keys import current_issuer_key
    from certificates.models import Certificate, IssuerKey

    certificates = Certificate.objects.exclude(pdf="")
    assert certificates.exists()
    for certificate in certificates:
        assert storages["private"].exists(certificate.pdf.name), certificate.serial
        with storages["private"].open(certificate.pdf.name) as stored:
            assert stored.read(5) == b"%PDF-"
    assert IssuerKey.objects.count() == 1
    assert current_issuer_key() == IssuerKey.objects.get()
