"""External embeds: an address no oEmbed provider knows becomes a link card, so trainers can point
at any web page and a course package holding one imports on a new site (courses/authoring/embeds.py)."""

import io

import pytest
from django.core.exceptions import ValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from courses.authoring.blocks import ExternalEmbedBlock
from courses.authoring.embeds import LinkFinder
from courses.demo.courses import package_zip
from courses.models import CoursePage
from courses.transfer.importer import course_import

GUIDE = "https://www.who.int/publications/i/item/9789241548205"


@pytest.mark.parametrize(
    "url, accepted",
    [
        (GUIDE, True),
        ("http://example.org/page", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/file", False),
        ("/relative/page", False),
        ("https://", False),
    ],
)
def test_the_link_finder_takes_web_addresses_only(url, accepted):
    assert LinkFinder().accept(url) is accepted


def test_a_link_carries_no_html_of_the_other_site():
    embed = LinkFinder().find_embed(GUIDE)
    assert embed["type"] == "link" and embed["html"] == ""
    assert embed["provider_name"] == "www.who.int"


@pytest.mark.django_db
def test_an_address_without_oembed_is_kept_and_shown_as_a_link_with_the_trainers_title():
    block = ExternalEmbedBlock()
    value = block.clean(block.to_python({"url": GUIDE, "title": "คู่มือการปฐมพยาบาลทางใจ"}))
    html = block.render(value)
    assert f'<a href="{GUIDE}"' in html and "คู่มือการปฐมพยาบาลทางใจ" in html
    assert "embed__frame" not in html
    assert Embed.objects.get(url=GUIDE).type == "link"


@pytest.mark.django_db
def test_a_providers_player_is_shown_above_the_link():
    video = "https://www.youtube.com/watch?v=abcdefghijk"
    Embed.objects.create(
        hash=get_embed_hash(video),
        url=video,
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk"></iframe>',
        title="A video",
        thumbnail_url="",
    )
    block = ExternalEmbedBlock()
    html = block.render(block.to_python({"url": video, "title": "วิดีโอ"}))
    assert '<div class="embed__frame">' in html and "youtube-nocookie.com/embed/abcdefghijk" in html


@pytest.mark.django_db
def test_an_address_that_is_not_a_web_page_is_refused():
    block = ExternalEmbedBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"url": "javascript:alert(1)", "title": "x"}))


@pytest.mark.django_db
def test_the_orientation_package_imports_on_a_site_that_never_saw_its_guide():
    """A new production site, seeded from the demo's orientation package by a lead trainer."""
    assert not Embed.objects.exists()
    result = course_import(io.BytesIO(package_zip("orientation")), user=None)
    course = CoursePage.objects.get(pk=result.course.pk)
    assert course.slug == "orientation" and len(result.created) > 40
    assert Embed.objects.get(url=GUIDE).type == "link"
