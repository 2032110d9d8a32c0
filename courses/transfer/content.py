"""Reading and rewriting what pages store: StreamField data walked by its block definitions, and
rich text checked against the features of its field.

Exports and imports walk the same way. Chooser blocks hold a site's own ids, so an export turns
them into package paths (`media/images/<sha256>.<ext>`) or bank question keys and an import back
into its own ids;
rich text keeps the HTML Wagtail stores, with links to pages naming the page's translation key
instead of its id. Rich text coming in is checked again whatever the sending site did: an element,
attribute or address outside the field's features refuses the package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import features as feature_registry
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail.whitelist import check_url

from courses.quizzes.blocks import BankDrawBlock
from courses.transfer.format import BANK_QUESTION_MODEL, COURSE_FILE, PackageRefused

# What each rich text feature lets an editor store (Wagtail's database format).
FEATURE_ELEMENTS = {
    "bold": {"b", "strong"},
    "italic": {"i", "em"},
    "h2": {"h2"},
    "h3": {"h3"},
    "h4": {"h4"},
    "h5": {"h5"},
    "h6": {"h6"},
    "ol": {"ol", "li"},
    "ul": {"ul", "li"},
    "hr": {"hr"},
    "link": {"a"},
    "blockquote": {"blockquote"},
    "code": {"code"},
    "superscript": {"sup"},
    "subscript": {"sub"},
    "strikethrough": {"s"},
}
BASE_ELEMENTS = {"p", "br"}
# Wagtail keeps a key on each block element for comments and translation.
BLOCK_KEY = "data-block-key"

Leaf = Callable[[str, Any, str, Any], Any]


def rich_text_features(features) -> list[str]:
    return list(features) if features is not None else feature_registry.get_default_features()


def _allowed_elements(features) -> set[str]:
    allowed = set(BASE_ELEMENTS)
    for feature in rich_text_features(features):
        allowed |= FEATURE_ELEMENTS.get(feature, set())
    return allowed


def rich_text_violation(html: str, features) -> str | None:
    """The first thing in `html` a field with these features cannot hold (an element, attribute,
    address or comment), or None when all of it is allowed."""
    allowed = _allowed_elements(features)
    doc = BeautifulSoup(html, "html.parser")
    for node in doc.descendants:
        if isinstance(node, Tag):
            if node.name not in allowed:
                return f"<{node.name}>"
            for name, value in node.attrs.items():
                if name == BLOCK_KEY:
                    continue
                if node.name == "a" and name == "href" and "linktype" not in node.attrs:
                    if check_url(value) is None:
                        return f'href="{value}"'
                    continue
                if node.name == "a" and name == "linktype" and value == "page":
                    continue
                if node.name == "a" and name == "id" and node.attrs.get("linktype") == "page":
                    continue
                return f'<{node.name} {name}="{value}">'
        elif isinstance(node, Comment):
            return "<!-- -->"
        elif isinstance(node, NavigableString) and type(node) is not NavigableString:
            return type(node).__name__
    return None


def rewrite_page_links(html: str, rewrite: Callable[[str], str | None]) -> str:
    """`html` with each page link's id replaced by `rewrite(id)`; a link whose target `rewrite`
    cannot name (None) keeps its text and loses the link. Unchanged text when there are no links."""
    if 'linktype="page"' not in html:
        return html
    doc = BeautifulSoup(html, "html.parser")
    for link in doc.find_all("a", attrs={"linktype": "page"}):
        target = rewrite(str(link.get("id", "")))
        if target is None:
            link.unwrap()
        else:
            link["id"] = target
    return doc.decode(formatter=escape)


def walk_stream(block: blocks.Block, value: Any, path: str, leaf: Leaf, strict: bool = False) -> Any:
    """A copy of the stored (JSON) `value` of `block` with each image, document and rich text leaf
    replaced by `leaf(kind, value, path, block)`. `strict` refuses block types and struct keys the
    definition does not know (an import), naming them by `path`.

    A question chosen from the bank is the leaf "bank_question" (its value the chosen id, or a key
    in a package); a random draw from the bank is the leaf "bank_draw" (its tag and count, walked
    first), so the bank questions a quiz can show are found wherever the stream holds them."""
    if isinstance(block, blocks.StreamBlock):
        if not isinstance(value, list):
            raise _malformed(path, _("a list of blocks was expected"))
        out = []
        for index, child in enumerate(value):
            child_path = f"{path}[{index}]"
            if not isinstance(child, dict) or "type" not in child or "value" not in child:
                raise _malformed(child_path, _("a block with a type and a value was expected"))
            child_block = block.child_blocks.get(child["type"])
            if child_block is None:
                raise _malformed(child_path, _("unknown block type “%(type)s”") % {"type": child["type"]})
            out.append(
                {
                    **child,
                    "value": walk_stream(child_block, child["value"], f"{child_path}.value", leaf, strict),
                }
            )
        return out
    if isinstance(block, blocks.StructBlock):
        if not isinstance(value, dict):
            raise _malformed(path, _("an object was expected"))
        unknown = sorted(set(value) - set(block.child_blocks))
        if strict and unknown:
            raise _malformed(f"{path}.{unknown[0]}", _("unknown field"))
        walked = {
            name: walk_stream(block.child_blocks[name], item, f"{path}.{name}", leaf, strict)
            if name in block.child_blocks
            else item
            for name, item in value.items()
        }
        return leaf("bank_draw", walked, path, block) if isinstance(block, BankDrawBlock) else walked
    if isinstance(block, blocks.ListBlock):
        if not isinstance(value, list):
            raise _malformed(path, _("a list was expected"))
        out = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                out.append(
                    {
                        **item,
                        "value": walk_stream(
                            block.child_block, item["value"], f"{item_path}.value", leaf, strict
                        ),
                    }
                )
            else:
                out.append(walk_stream(block.child_block, item, item_path, leaf, strict))
        return out
    if isinstance(block, ImageChooserBlock):
        return leaf("image", value, path, block)
    if isinstance(block, DocumentChooserBlock):
        return leaf("document", value, path, block)
    if isinstance(block, SnippetChooserBlock) and block.target_model._meta.label_lower == BANK_QUESTION_MODEL:
        return leaf("bank_question", value, path, block)
    if isinstance(block, blocks.ChooserBlock):
        # Another snippet or a page chooser: the site's own rows, which a package cannot carry yet.
        return leaf("unsupported", value, path, block)
    if isinstance(block, blocks.RichTextBlock):
        return leaf("richtext", value, path, block)
    return value


def _malformed(path: str, message: str) -> PackageRefused:
    return PackageRefused(COURSE_FILE, message, path)
