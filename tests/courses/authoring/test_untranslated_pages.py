"""A course, module, lesson or quiz not yet translated is read in English at the English address
below its translated parent, in Thai with a translated notice, and the reader stays in English."""

import pytest
from wagtail.models import Locale

from courses.models import LessonPage
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import catalog_page, enrolled_reader, make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db

NOTICE = "This page is not translated into your language yet, so it is shown in Thai."


@pytest.fixture
def english_catalog():
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    return catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")


def test_an_untranslated_course_from_the_english_catalog_is_shown_in_thai_with_a_notice(
    client, english_catalog
):
    make_course_tree(title="หลักสูตรภาษาไทย", slug="thai-only")
    catalog_html = client.get(english_catalog.url).content.decode()
    assert 'href="/en/courses/thai-only/"' in catalog_html

    response = client.get("/en/courses/thai-only/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert NOTICE in html
    assert '<article class="course" lang="th">' in html and "หลักสูตรภาษาไทย" in html
    assert 'href="/en/courses/thai-only/module/"' in html  # the outline keeps the reader in English
    assert 'href="/courses/thai-only/" hreflang="th"' in html  # the switcher goes to the Thai page

    module_html = client.get("/en/courses/thai-only/module/").content.decode()
    assert NOTICE in module_html and 'href="/en/courses/thai-only/module/lesson/"' in module_html


def test_an_untranslated_lesson_of_a_translated_course_is_shown_in_thai_with_a_notice(
    client, english_catalog
):
    course, module, _lesson = make_course_tree(title="Basics", slug="basics")
    english = Locale.objects.get(language_code="en")
    for page in (course, module):
        translation = page.copy_for_translation(english)
        translation.title = f"EN {page.title}"
        translation.save_revision().publish()
    second = LessonPage(
        title="บทที่ยังไม่แปล", slug="later", body=[{"type": "text", "value": "<p>ข้อความไทย</p>"}]
    )
    module.add_child(instance=second)
    second.save_revision().publish()
    quiz = add_quiz(module)
    enrolled_reader(client, course)

    course_html = client.get("/en/courses/basics/").content.decode()
    assert NOTICE not in course_html
    assert 'href="/en/courses/basics/module/later/" lang="th"' in course_html
    assert 'href="/en/courses/basics/module/quiz/" lang="th"' in course_html

    response = client.get("/en/courses/basics/module/later/")
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in html and "ข้อความไทย" in html
    assert '<article class="lesson" lang="th">' in html
    assert 'href="/courses/basics/module/later/" hreflang="th"' in html

    quiz_response = client.get("/en/courses/basics/module/quiz/")
    assert quiz_response.status_code == 200 and NOTICE in quiz_response.content.decode()
    assert quiz.url == "/courses/basics/module/quiz/"  # outside a page request, Thai addresses stay Thai


def test_thai_readers_see_no_notice_and_the_switcher_offers_the_english_address(client, english_catalog):
    make_course_tree(title="หลักสูตรภาษาไทย", slug="thai-only")
    html = client.get("/courses/thai-only/").content.decode()
    assert NOTICE not in html
    assert 'href="/en/courses/thai-only/" hreflang="en"' in html


def test_unknown_or_draft_pages_are_not_found_in_english_either(client, english_catalog):
    make_course_tree(title="Draft", slug="draft-course", publish=False)
    assert client.get("/en/courses/no-such-course/").status_code == 404
    assert client.get("/en/courses/draft-course/").status_code == 404
    make_course_tree(title="หลักสูตร", slug="thai-only")
    assert client.get("/en/courses/thai-only/module/no-such-lesson/").status_code == 404


def test_kept_outlines_link_the_same_whichever_page_built_them(client, english_catalog):
    """The English dashboard may build an untranslated course's outline before its course page
    does: the kept outline links in English all the same, and the dashboard's other links are its
    own."""
    course, _module, _lesson = make_course_tree(title="หลักสูตรไทย", slug="kept-thai")
    enrolled_reader(client, course)
    dashboard = client.get("/en/learn/").content.decode()  # builds the outline first
    assert 'href="/en/courses/kept-thai/module/lesson/"' in dashboard  # its Start button
    course_html = client.get("/en/courses/kept-thai/").content.decode()
    assert 'href="/en/courses/kept-thai/module/lesson/"' in course_html
    assert 'href="/en/courses/kept-thai/module/"' in course_html


def test_the_english_dashboard_offers_a_thai_only_course_at_its_english_address(client, english_catalog):
    make_course_tree(title="หลักสูตรใหม่", slug="offered-thai")
    client.force_login(make_volunteer().user)
    dashboard = client.get("/en/learn/").content.decode()
    assert 'href="/en/courses/offered-thai/"' in dashboard
    assert 'href="/courses/offered-thai/"' not in dashboard
