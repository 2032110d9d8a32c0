"""Pictures come as responsive renditions: several widths in AVIF and WebP with a fallback, alt
text, and lazy loading where they sit below the fold (later catalog cards, lesson figures), eager
where they are on the first screen (the first catalog card, a course's cover)."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import catalog_page, enrolled_reader, make_course_tree, make_image

pytestmark = pytest.mark.django_db


def pictures(html: str):
    return BeautifulSoup(html, "html.parser").select("main picture")


def assert_responsive(picture, alt: str) -> None:
    types = {source.get("type") for source in picture.find_all("source")}
    assert {"image/avif", "image/webp"} <= types
    for source in picture.find_all("source"):
        assert len(source["srcset"].split(",")) >= 2  # more than one width to choose from
        assert source.get("sizes")
    assert picture.img["alt"] == alt


@pytest.fixture
def course_with_pictures():
    course, _module, lesson = make_course_tree(
        title="Pictures",
        body=[
            {"type": "text", "value": "<p>Before the figure.</p>"},
            {
                "type": "image",
                "value": {"image": make_image(size=(1300, 700)).pk, "alt_text": "A map", "caption": ""},
            },
        ],
    )
    course.cover_image = make_image(title="Cover", size=(1000, 600))
    course.cover_alt = "Volunteers at a meeting"
    course.save_revision().publish()
    return course, lesson


def test_catalog_covers_are_responsive_and_lazy_after_the_first_card(client, course_with_pictures):
    second, _module, _lesson = make_course_tree(title="Second")
    second.cover_image = make_image(title="Second cover", size=(1000, 600))
    second.cover_alt = "A community hall"
    second.save_revision().publish()

    first_card, second_card = pictures(client.get(catalog_page().url).content.decode())

    assert_responsive(first_card, "Volunteers at a meeting")
    assert first_card.img.get("loading") != "lazy"  # on a phone's first screen
    assert_responsive(second_card, "A community hall")
    assert second_card.img["loading"] == "lazy"


def test_the_course_cover_is_responsive_and_loads_at_once(client, course_with_pictures):
    course, _lesson = course_with_pictures
    [picture] = pictures(client.get(course.url).content.decode())
    assert_responsive(picture, "Volunteers at a meeting")
    assert picture.img.get("loading") != "lazy"


def test_lesson_figures_are_lazy_responsive_pictures(client, course_with_pictures):
    course, lesson = course_with_pictures
    enrolled_reader(client, course)
    [picture] = pictures(client.get(lesson.url).content.decode())
    assert_responsive(picture, "A map")
    assert picture.img["loading"] == "lazy"
