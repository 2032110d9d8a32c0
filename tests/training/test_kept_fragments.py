"""`{% kept %}`: HTML made from the content alone (a course's cover picture, its facts, a lesson's
figures) is rendered once per process for each content version, language and site, and never
served once the content, the image or the parts it names have changed."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as image_tags

from tests.factories import enrolled_reader, make_course_tree, make_image
from training.content_version import content_cache, request_version
from training.models import ContentVersion

pytestmark = pytest.mark.django_db

KEPT = Template("{% load site_tags %}{% kept part %}{{ value }}{% endkept %}|{{ value }}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Renditions cached by another test name files of an image with this one's id.
    caches["default"].clear()
    content_cache.clear()
    yield
    content_cache.clear()


def render(request, **values) -> str:
    request_version(request)  # as every page that shows content has, before rendering
    return KEPT.render(Context({"request": request, **values}))


def test_kept_html_is_rendered_once_per_content_version(rf):
    request = rf.get("/")
    assert render(request, part=1, value="first") == "first|first"
    # The same version: the kept HTML, even though what it was made of now says otherwise.
    assert render(rf.get("/"), part=1, value="second") == "first|second"
    ContentVersion.change()
    assert render(rf.get("/"), part=1, value="second") == "second|second"


def test_kept_html_is_kept_apart_for_each_part_and_language(rf):
    assert render(rf.get("/"), part=1, value="one") == "one|one"
    assert render(rf.get("/"), part=2, value="two") == "two|two"
    with translation.override("en"):
        assert render(rf.get("/"), part=1, value="english") == "english|english"
    assert render(rf.get("/"), part=1, value="again") == "one|again"


def test_a_preview_and_a_render_without_a_request_are_never_kept(rf):
    preview = rf.get("/")
    preview.is_preview = True
    assert render(preview, part=1, value="draft") == "draft|draft"
    assert render(rf.get("/"), part=1, value="saved") == "saved|saved"
    assert KEPT.render(Context({"part": 1, "value": "mail"})) == "mail|mail"


def test_a_request_that_has_not_read_the_content_version_renders_afresh_without_a_query(
    rf, django_assert_num_queries
):
    render(rf.get("/"), part=1, value="kept")
    with django_assert_num_queries(0):
        assert KEPT.render(Context({"request": rf.get("/"), "part": 1, "value": "new"})) == "new|new"


def test_a_kept_fragment_escapes_what_it_shows(rf):
    assert render(rf.get("/"), part=1, value="<b>") == "&lt;b&gt;|&lt;b&gt;"


def covered_course():
    course, _module, _lesson = make_course_tree(title="Covered")
    course.cover_image = make_image(title="Cover", size=(960, 540))
    course.cover_alt = "Volunteers in Oslo"
    course.save_revision().publish()
    return course


def test_the_course_cover_picks_its_renditions_once_for_every_reader(client):
    course = covered_course()
    enrolled_reader(client, course)
    wrapped = mock.patch.object(image_tags, "get_renditions_or_not_found", wraps=get_renditions_or_not_found)
    with wrapped as picks:
        first = client.get(course.url).content.decode()
        assert picks.call_count == 1
        other = Client()
        enrolled_reader(other, course)
        second = other.get(course.url).content.decode()
        assert picks.call_count == 1
    picture = first[first.index("<picture") : first.index("</picture>")]
    assert 'alt="Volunteers in Oslo"' in picture
    assert picture in second


def test_a_changed_cover_or_alt_text_shows_on_the_next_view(client):
    course = covered_course()
    enrolled_reader(client, course)
    before = client.get(course.url).content.decode()
    course.cover_alt = "Volunteers in Bergen"
    course.save_revision().publish()
    after = client.get(course.url).content.decode()
    assert "Volunteers in Oslo" in before
    assert 'alt="Volunteers in Bergen"' in after
    image = course.cover_image
    image.focal_point_x = image.focal_point_y = 10
    image.focal_point_width = image.focal_point_height = 20
    image.save()  # a new focal point: new renditions, named differently
    moved = client.get(course.url).content.decode()
    assert moved[moved.index("<picture") :] != after[after.index("<picture") :]


def test_deleting_a_rendition_changes_the_content_version(client):
    course = covered_course()
    enrolled_reader(client, course)
    client.get(course.url)
    before = ContentVersion.objects.get(pk=1).token
    rendition = course.cover_image.renditions.first()
    rendition.delete()
    assert ContentVersion.objects.get(pk=1).token != before
