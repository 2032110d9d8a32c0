"""Walking stored StreamField data and checking rich text, as exports and imports do."""

import pytest
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from courses.authoring.blocks import LESSON_RICH_TEXT_FEATURES
from courses.transfer.content import rewrite_page_links, rich_text_violation, walk_stream
from courses.transfer.export import ExportError, _Media, _PageWriter
from courses.transfer.format import PackageRefused


def test_a_block_choosing_a_snippet_stops_the_export_naming_where_it_is():
    stream = blocks.StreamBlock([("line", SnippetChooserBlock("courses.HelpLine"))])

    with pytest.raises(ExportError, match=r"body\[0\]\.value"):
        walk_stream(stream, [{"type": "line", "value": 1, "id": "a"}], "body", _PageWriter(_Media()).leaf)


def test_an_unknown_block_type_or_struct_field_is_refused_when_strict():
    stream = blocks.StreamBlock([("quote", blocks.StructBlock([("text", blocks.CharBlock())]))])

    with pytest.raises(PackageRefused) as unknown_type:
        walk_stream(stream, [{"type": "html", "value": "<script>", "id": "a"}], "body", lambda *a: a[1], True)
    with pytest.raises(PackageRefused) as unknown_field:
        walk_stream(
            stream, [{"type": "quote", "value": {"text": "x", "raw": "y"}}], "body", lambda *a: a[1], True
        )

    assert unknown_type.value.field == "body[0]"
    assert unknown_field.value.field == "body[0].value.raw"


def test_rich_text_wagtail_stores_for_a_lesson_passes_the_check():
    html = (
        '<p data-block-key="a1">Listen <b>first</b>, <i>then</i> <a href="https://example.org/">read</a>.</p>'
        '<ul><li data-block-key="b2">One</li></ul><ol><li>Two</li></ol><p>Line<br/>break</p>'
        '<p><a linktype="page" id="7f1f9a43-60c4-4f62-9a3c-6f3c2e3f0b21">a page</a></p>'
    )
    assert rich_text_violation(html, LESSON_RICH_TEXT_FEATURES) is None


@pytest.mark.parametrize(
    ("html", "violation"),
    [
        ("<p>Hi</p><script>alert(1)</script>", "<script>"),
        ('<p onclick="x()">Hi</p>', '<p onclick="x()">'),
        ('<p><a href="javascript:alert(1)">x</a></p>', 'href="javascript:alert(1)"'),
        ('<p><a linktype="document" id="3">x</a></p>', '<a linktype="document">'),
        ("<p>Hi<!-- hidden --></p>", "<!-- -->"),
        ("<svg><circle/></svg>", "<svg>"),
    ],
)
def test_rich_text_outside_the_features_is_named(html, violation):
    assert rich_text_violation(html, LESSON_RICH_TEXT_FEATURES) == violation


def test_page_links_are_rewritten_and_unknown_targets_lose_the_link_but_keep_the_text():
    html = '<p><a linktype="page" id="1">kept</a> and <a linktype="page" id="2">dropped</a></p>'

    rewritten = rewrite_page_links(html, {"1": "one"}.get)

    assert rewritten == '<p><a id="one" linktype="page">kept</a> and dropped</p>'
    assert rewrite_page_links("<p>No links</p>", {}.get) == "<p>No links</p>"
