"""Checking a course package's pages before anything is written: their types and place in the
tree, every field, every block through its own validation, rich text again, media and bank
questions that blocks name. `read_package` reads and checks a package whole."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import ListBlockValidationError, StreamBlockValidationError, StructBlockValidationError
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale

from courses.quizzes.bank import BankQuestion
from courses.transfer.content import rich_text_violation, walk_stream
from courses.transfer.format import (
    CHILD_TYPES,
    COURSE_FILE,
    DOCUMENTS_DIR,
    IMAGES_DIR,
    Limits,
    PackageRefused,
    bank_question_key,
)
from courses.transfer.reading import (
    Package,
    read_archive,
)

logger = logging.getLogger(__name__)


def read_package(source: IO[bytes], limits: Limits | None = None) -> Package:
    """The package read and checked whole (its files, then its pages and their blocks), or
    PackageRefused naming the file and field; nothing is written."""
    package = read_archive(source, limits)
    try:
        _check_tree(package.data)
    except BaseException:
        package.close()
        raise
    return package


def _nodes(data: dict[str, Any]):
    """Each page of the course as (node, its JSON path, its parent node), in tree order."""
    stack = [(data["course"], "course", None)]
    while stack:
        node, path, parent = stack.pop(0)
        yield node, path, parent
        stack[0:0] = [
            (child, f"{path}.children[{index}]", node) for index, child in enumerate(node.get("children", []))
        ]


def _page_model(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _check_tree(data: dict[str, Any]) -> None:
    media = {entry["path"] for kind in ("images", "documents") for entry in data["media"][kind]}
    if data["language"] != settings.LANGUAGE_CODE:
        raise PackageRefused(
            COURSE_FILE,
            _("Courses are imported in %(language)s.") % {"language": settings.LANGUAGE_CODE},
            "language",
        )
    bank = _check_bank(data)
    used = _BankUse()
    keys: dict[str, dict[str, Any]] = {}
    for node, path, parent in _nodes(data):
        if node["key"] in keys:
            raise PackageRefused(COURSE_FILE, _("Two pages have the same key."), f"{path}.key")
        keys[node["key"]] = node
        if parent is not None and node["type"] not in CHILD_TYPES[parent["type"]]:
            raise PackageRefused(COURSE_FILE, _("A page of this type cannot be placed here."), f"{path}.type")
        slugs = [child["slug"] for child in node.get("children", [])]
        for index, slug in enumerate(slugs):
            if slugs.index(slug) != index:
                raise PackageRefused(
                    COURSE_FILE,
                    _("Two pages at the same level have the same address."),
                    f"{path}.children[{index}].slug",
                )
        _check_fields(node, path, media, bank, used)
    for language, translated in data["translations"].items():
        if not Locale.objects.filter(language_code=language).exists():
            raise PackageRefused(
                COURSE_FILE,
                _("This site has no language %(language)s.") % {"language": language},
                f"translations.{language}",
            )
        seen = set()
        for index, node in enumerate(translated):
            path = f"translations.{language}[{index}]"
            source = keys.get(node["key"])
            if source is None or node["key"] in seen:
                raise PackageRefused(
                    COURSE_FILE, _("This translation has no page of the course to translate."), f"{path}.key"
                )
            seen.add(node["key"])
            if node["type"] != source["type"]:
                raise PackageRefused(
                    COURSE_FILE, _("A translation must be of its source page's type."), f"{path}.type"
                )
            if node["slug"] != source["slug"]:
                raise PackageRefused(
                    COURSE_FILE, _("A translation keeps its source page's address."), f"{path}.slug"
                )
            _check_fields(node, path, media, bank, used)
    for index, entry in enumerate(data.get("bank_questions", [])):
        if entry["key"] not in used.keys and not used.tags.intersection(entry["tags"]):
            raise PackageRefused(
                COURSE_FILE,
                _("No quiz of the course uses this bank question."),
                f"bank_questions[{index}].key",
            )


@dataclass
class _BankUse:
    """The bank questions the quizzes of a package choose (by key) and the tags they draw from."""

    keys: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)


def _plain_leaf(kind, value, leaf_path, block):
    if kind in ("image", "document", "richtext", "bank_question", "unsupported"):
        # A bank question holds plain text, numbers and choices only.
        raise PackageRefused(COURSE_FILE, _("Blocks of this kind cannot be imported."), leaf_path)
    return value


def _check_bank(data: dict[str, Any]) -> set[str]:
    """Each bank question listed once, valid by its own block's rules, its key its content's hash;
    returns the keys."""
    stream_block = BankQuestion._meta.get_field("question").stream_block
    keys: set[str] = set()
    for index, entry in enumerate(data.get("bank_questions", [])):
        path = f"bank_questions[{index}]"
        if entry["key"] in keys:
            raise PackageRefused(COURSE_FILE, _("This bank question is listed twice."), f"{path}.key")
        keys.add(entry["key"])
        walk_stream(stream_block, entry["question"], f"{path}.question", _plain_leaf, strict=True)
        _clean_stream(stream_block, entry["question"], f"{path}.question", innermost=True)
        language = entry.get("language")
        if language is not None and not Locale.objects.filter(language_code=language).exists():
            raise PackageRefused(
                COURSE_FILE,
                _("This bank question is in a language this site does not have: %(language)s.")
                % {"language": language},
                f"{path}.language",
            )
        if bank_question_key(entry["question"], entry["tags"], language) != entry["key"]:
            raise PackageRefused(
                COURSE_FILE,
                _("The key does not match the question, its tags and its language (a SHA-256 hash)."),
                f"{path}.key",
            )
    return keys


def _clean_stream(stream_block, raw: list[Any], field_path: str, innermost: bool = False) -> None:
    """Validate stored stream data by its block's own rules; refuse naming the field (or, with
    `innermost`, the field inside the stream the error concerns)."""
    try:
        stream_block.clean(stream_block.to_python(raw))
    except ValidationError as error:
        inner, inner_path = _innermost(error, field_path) if innermost else (error, field_path)
        raise PackageRefused(COURSE_FILE, _invalid(inner), inner_path) from error
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        # A value of the wrong shape for its block (a list where text belongs, say).
        raise PackageRefused(COURSE_FILE, _("The value does not fit its block."), field_path) from error


def _innermost(error: ValidationError, path: str) -> tuple[ValidationError, str]:
    """Follow a block's error down while it concerns one child only: the error and its JSON path."""
    while True:
        children = getattr(error, "block_errors", None) or {}
        if len(children) != 1 or getattr(error, "non_block_errors", None):
            return error, path
        [(name, child)] = children.items()
        if isinstance(error, StreamBlockValidationError):
            path = f"{path}[{name}].value"
        elif isinstance(error, StructBlockValidationError):
            path = f"{path}.{name}"
        elif isinstance(error, ListBlockValidationError):
            path = f"{path}[{name}]"
        else:
            return error, path
        error = child


def _check_fields(node: dict[str, Any], path: str, media: set[str], bank: set[str], used: _BankUse) -> None:
    """Rich text within the field's features, media and bank questions named by listed keys, no
    unknown blocks."""
    model = _page_model(node["type"])

    def leaf(kind, value, leaf_path, block):
        if kind in ("image", "document"):
            directory = IMAGES_DIR if kind == "image" else DOCUMENTS_DIR
            if value is not None and (
                not isinstance(value, str) or not value.startswith(directory) or value not in media
            ):
                message = (
                    _("This names no image listed in the package.")
                    if kind == "image"
                    else _("This names no document listed in the package.")
                )
                raise PackageRefused(COURSE_FILE, message, leaf_path)
        elif kind == "richtext":
            if not isinstance(value, str):
                raise PackageRefused(COURSE_FILE, _("Rich text must be a string."), leaf_path)
            violation = rich_text_violation(value, block.features)
            if violation:
                raise PackageRefused(
                    COURSE_FILE,
                    _("Rich text holds %(what)s, which is not allowed here.") % {"what": violation},
                    leaf_path,
                )
        elif kind == "bank_question":
            if value is not None and (not isinstance(value, str) or value not in bank):
                raise PackageRefused(
                    COURSE_FILE, _("This names no bank question listed in the package."), leaf_path
                )
            used.keys.add(value)
        elif kind == "bank_draw":
            if isinstance(value.get("tag"), str):
                used.tags.add(value["tag"])
        elif kind == "unsupported":
            raise PackageRefused(COURSE_FILE, _("Blocks of this kind cannot be imported."), leaf_path)
        return value

    for name, value in node["fields"].items():
        model_field = model._meta.get_field(name)
        field_path = f"{path}.fields.{name}"
        if isinstance(model_field, StreamField):
            walk_stream(model_field.stream_block, value, field_path, leaf, strict=True)
        elif name == "cover_image":
            leaf("image", value, field_path, None)
        elif isinstance(model_field, RichTextField):
            violation = rich_text_violation(value, model_field.features)
            if violation:
                raise PackageRefused(
                    COURSE_FILE,
                    _("Rich text holds %(what)s, which is not allowed here.") % {"what": violation},
                    field_path,
                )


# --- Writing ---------------------------------------------------------------------------------------


def _invalid(error: ValidationError) -> str:
    messages = error.messages if hasattr(error, "messages") else [str(error)]
    return _("The value is not valid here: %(errors)s") % {
        "errors": " ".join(str(message) for message in messages)[:500]
    }
