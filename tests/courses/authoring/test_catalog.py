"""The catalog lists live, public courses; filters by topic; searches course and lesson text."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories import catalog_page, make_course_tree

pytestmark = pytest.mark.django_db


def catalog_html(client, **params) -> str:
    response = client.get(catalog_page().url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_catalog_lists_live_courses_with_summary_and_duration(client):
    course, _module, _lesson = make_course_tree(title="Listening skills")
    html = catalog_html(client)
    assert "Listening skills" in html
    assert course.summary in html
    course.estimated_hours = 2.5
    course.save_revision().publish()
    meta = catalog_html(client).split('class="course-card__meta">')[1].split("</p>")[0]
    assert "2.5" in meta


def test_drafts_and_private_courses_stay_out_of_the_catalog(client):
    make_course_tree(title="Public course")
    make_course_tree(title="Draft course", publish=False)
    private, _module, _lesson = make_course_tree(title="Private course")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    html = catalog_html(client)
    assert "Public course" in html
    assert "Draft course" not in html
    assert "Private course" not in html


def test_drafts_and_private_lessons_stay_out_of_search(client):
    body = [{"type": "text", "value": "<p>The word zanzibarite appears here.</p>"}]
    make_course_tree(title="Draft course", publish=False, body=body)
    private, _module, _lesson = make_course_tree(title="Private course", body=body)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    html = catalog_html(client, q="zanzibarite")
    assert "Draft course" not in html
    assert "Private course" not in html


@pytest.mark.usefixtures("search_index")
def test_search_finds_a_course_by_the_text_of_its_lessons(client):
    body = [{"type": "text", "value": "<p>Safety planning with a survivor.</p>"}]
    make_course_tree(title="Domestic violence basics", body=body)
    make_course_tree(title="Welfare law")
    html = catalog_html(client, q="survivor")
    assert "Domestic violence basics" in html
    assert "Welfare law" not in html


@pytest.mark.usefixtures("search_index")
def test_search_finds_a_thai_word_inside_unspaced_thai_text(client):
    body = [{"type": "text", "value": "<p>การปฐมพยาบาลทางใจสำหรับผู้มีภาวะซึมเศร้า</p>"}]
    make_course_tree(title="สุขภาพจิต", body=body)
    make_course_tree(title="กฎหมายสวัสดิการ")
    html = catalog_html(client, q="ซึมเศร้า")
    assert "สุขภาพจิต" in html
    assert "กฎหมายสวัสดิการ" not in html.split('class="course-list"')[-1]


def test_the_catalog_filters_by_topic_tag(client):
    violence, _m, _l = make_course_tree(title="Violence course")
    violence.tags.add("domestic violence")
    violence.save_revision().publish()
    health, _m, _l = make_course_tree(title="Health course")
    health.tags.add("mental health")
    health.save_revision().publish()
    html = catalog_html(client, tag="mental-health")
    assert "Health course" in html
    assert "Violence course" not in html
    assert "domestic violence" in html  # the filter still offers every topic


def test_an_unknown_tag_or_an_odd_query_gives_an_empty_list_not_an_error(client):
    make_course_tree(title="Some course")
    assert "Some course" not in catalog_html(client, tag="no-such-topic")
    assert client.get(catalog_page().url, {"q": '" OR 1=1 --' + "x" * 500}).status_code == 200


def test_the_english_catalog_lists_untranslated_thai_courses_with_a_notice(client):
    from courses.translation.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    english = catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")
    make_course_tree(title="หลักสูตรภาษาไทย")
    response = client.get(english.url)
    html = response.content.decode()
    assert "หลักสูตรภาษาไทย" in html
    assert 'class="card course-card" lang="th"' in html


def test_a_course_page_links_its_live_prerequisites_only(client):
    first, _m, _l = make_course_tree(title="Orientation first")
    draft, _m, _l = make_course_tree(title="Draft prerequisite", publish=False)
    second, _m, _l = make_course_tree(title="Follow-up")
    second.prerequisites.set([first, draft])
    second.save_revision().publish()
    html = client.get(second.url).content.decode()
    assert f'href="{first.url}"' in html
    assert "Draft prerequisite" not in html
    assert "Follow-up module" in html  # the outline lists the modules
