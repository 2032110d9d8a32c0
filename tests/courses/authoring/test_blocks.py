"""Lesson blocks: every block renders on the page, and every block has an icon, label, template and
a preview for the block picker."""

import pytest
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from courses.authoring.blocks import LessonBodyBlock
from courses.authoring.services import help_line_upsert
from courses.models import HelpLine, LessonPage
from tests.factories import PASSWORD, enrolled_reader, make_course_tree, make_document, make_image, make_user

pytestmark = pytest.mark.django_db

EMBED_URL = "https://example.org/resource"


@pytest.fixture
def every_block_body():
    Embed.objects.create(
        hash=get_embed_hash(EMBED_URL), url=EMBED_URL, type="link", html="", title="Resource"
    )
    image = make_image(title="Figure", size=(1300, 60))
    video = make_document(title="Clip", filename="clip.mp4", content=b"\x00" * 2048)
    captions = make_document(title="Clip captions", filename="clip.vtt", content=b"WEBVTT\n")
    handout = make_document(title="Handout", filename="handout.txt", content=b"Checklist")
    help_line_upsert(
        country="NO", organisation="Helpline Norway", phone="116 123", hours="24 hours", languages="NO"
    )
    return [
        {"type": "heading", "value": {"text": "Section heading text", "level": "h2"}},
        {"type": "text", "value": "<p>Paragraph with <b>bold</b> text.</p>"},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Blue square alt", "caption": "Square caption"},
        },
        {
            "type": "video",
            "value": {
                "video": video.pk,
                "captions": captions.pk,
                "captions_language": "th",
                "title": "Breathing clip",
                "transcript": "<p>Breathe in.</p>",
            },
        },
        {"type": "embed", "value": {"url": EMBED_URL, "title": "External resource title"}},
        {"type": "download", "value": {"document": handout.pk, "title": "Handout title", "description": ""}},
        {
            "type": "callout",
            "value": {"kind": "warning", "title": "Callout title", "text": "<p>Careful.</p>"},
        },
        {"type": "help_lines", "value": {"title": "Help lines title", "intro": ""}},
        {
            "type": "key_points",
            "value": {"title": "Key points title", "points": ["First point", "Second point"]},
        },
        {
            "type": "accordion",
            "value": {
                "title": "FAQ",
                "items": [{"question": "Question one?", "answer": "<p>Answer one.</p>"}],
            },
        },
        {"type": "reflection", "value": {"prompt": "Reflection prompt text"}},
    ]


def test_every_block_type_is_used_by_the_fixture(every_block_body):
    assert {block["type"] for block in every_block_body} == set(LessonBodyBlock.base_blocks)


def test_every_block_renders_on_the_lesson_page(client, every_block_body):
    course, _module, lesson = make_course_tree(title="Blocks", body=every_block_body)
    enrolled_reader(client, course)
    html = client.get(lesson.url).content.decode()
    expected = [
        "<h2>Section heading text</h2>",
        "<b>bold</b>",
        'alt="Blue square alt"',
        "<figcaption>Square caption</figcaption>",
        "<video",
        '<track kind="captions"',
        'srclang="th"',
        "External resource title",
        'href="https://example.org/resource"',
        "Handout title",
        "callout--warning",
        "Helpline Norway",
        'href="tel:116123"',
        "<li>Second point</li>",
        "<details>",
        "<summary>Question one?</summary>",
        "Reflection prompt text",
    ]
    for fragment in expected:
        assert fragment in html, fragment


def test_lesson_images_offer_several_widths_in_modern_formats(client, every_block_body):
    course, _module, lesson = make_course_tree(title="Images", body=every_block_body)
    enrolled_reader(client, course)
    html = client.get(lesson.url).content.decode()
    assert "<picture>" in html
    assert 'type="image/webp"' in html
    assert "srcset=" in html and " 400w" in html


@pytest.mark.parametrize("name", sorted(LessonBodyBlock.base_blocks))
def test_every_block_has_an_icon_label_template_and_preview(name):
    block = LessonBodyBlock().child_blocks[name]
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert str(block.label)
    assert block.meta.template == f"blocks/{block.meta.template.split('/')[-1]}"
    assert block.is_previewable
    assert str(block.get_description())


@pytest.mark.parametrize("name", sorted(LessonBodyBlock.base_blocks))
def test_every_block_preview_renders_in_the_admin(client, every_block_body, name):
    user = make_user(group="Trainers")
    client.login(email=user.email, password=PASSWORD)
    block = LessonPage._meta.get_field("body").stream_block.child_blocks[name]
    response = client.get("/admin/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    assert "css/site.css" in response.content.decode()


def test_help_lines_show_only_the_readers_country_when_it_is_known():
    from courses.authoring.selectors import help_lines_for

    help_line_upsert(country="NO", organisation="Norway line", phone="1", hours="24h", languages="NO")
    help_line_upsert(country="TH", organisation="Thai line", phone="2", hours="24h", languages="TH")
    assert [line.organisation for line in help_lines_for(country="no")] == ["Norway line"]
    assert {line.organisation for line in help_lines_for(country="")} == {"Norway line", "Thai line"}
    assert {line.organisation for line in help_lines_for(country="SE")} == {"Norway line", "Thai line"}


def test_a_help_line_country_must_be_an_iso_code():
    from django.core.exceptions import ValidationError

    line = HelpLine(country="Norway", organisation="X", phone="1", hours="24h", languages="NO")
    with pytest.raises(ValidationError):
        line.full_clean()


def test_a_video_block_refuses_a_document_that_is_not_a_video():
    from wagtail.blocks import StructBlockValidationError

    not_video = make_document(title="Notes", filename="notes.txt")
    block = LessonBodyBlock().child_blocks["video"]
    value = block.to_python({"video": not_video.pk, "title": "Wrong", "captions_language": "th"})
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_no_demo_lesson_skips_a_heading_level(demo):
    """A box's heading (key points, a callout, questions and answers) after the lesson's title was an
    h3 under the h1: screen readers' outline skipped a level, and the editor's accessibility checks
    counted it on the demo's lessons."""
    import itertools
    import re

    from courses.models import LessonPage

    failures = []
    for lesson in LessonPage.objects.live().filter(locale__language_code="th"):
        html = (
            lesson.specific.body.render_as_block() if hasattr(lesson.specific.body, "render_as_block") else ""
        )
        levels = [1] + [int(level) for level in re.findall(r"<h([1-6])[\s>]", str(html))]
        skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        if skips:
            failures.append((lesson.title, skips))
    assert failures == []
