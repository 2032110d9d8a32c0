"""Writing a course to a package: its page tree, the translations of its pages, the images and
documents they use and the bank questions its quizzes can show, in the format of
courses/transfer/format.py.

Reads only. The same course always gives the same bytes: keys sorted, pages in tree order, media
named by the SHA-256 of their content, every zip entry dated 1980-01-01. A live page is written as
it is published; a page never published as its latest draft.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import Model
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from courses.authoring.models import CoursePage
from courses.quizzes.bank import BankQuestion
from courses.transfer.content import rewrite_page_links, walk_stream
from courses.transfer.format import (
    COURSE_FILE,
    COURSE_REFERENCES,
    DOCUMENTS_DIR,
    FIELDS,
    FORMAT,
    FORMAT_VERSION,
    IMAGES_DIR,
    ZIP_TIMESTAMP,
    bank_question_key,
    json_bytes,
    page_type_label,
)

CHUNK = 1024 * 1024


class ExportError(Exception):
    """A course holds something a package cannot carry (a block choosing a snippet, say)."""


def _file_digest(file) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _extension(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return "jpg" if extension == "jpeg" else extension


@dataclass
class _Media:
    """The images and documents a course uses, by package path (one entry per content)."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, Any] = field(default_factory=dict)
    paths: dict[tuple[str, int], str] = field(default_factory=dict)

    def add(self, kind: str, item: Model | None) -> str | None:
        if item is None:
            return None
        if (kind, item.pk) in self.paths:
            return self.paths[(kind, item.pk)]
        directory = IMAGES_DIR if kind == "image" else DOCUMENTS_DIR
        path = f"{directory}{_file_digest(item.file)}.{_extension(item.file.name)}"
        entry = {"path": path, "title": item.title}
        if kind == "image":
            entry["description"] = item.description
        # Two rows with the same bytes are one file in the package: the first title in order names it.
        current = self.entries.get(path)
        if current is None or (entry["title"], entry.get("description", "")) < (
            current["title"],
            current.get("description", ""),
        ):
            self.entries[path] = entry
            self.files[path] = item.file
        self.paths[(kind, item.pk)] = path
        return path

    def listing(self, directory: str) -> list[dict[str, Any]]:
        return [self.entries[path] for path in sorted(self.entries) if path.startswith(directory)]


def bank_question_legacy_key(question: BankQuestion) -> str:
    """The key a package written before bank questions had a language gives this question."""
    stream = json.loads(json_bytes(list(question.question.raw_data)))
    return bank_question_key(stream, sorted(tag.name for tag in question.tags.all()))


def bank_question_identity(question: BankQuestion) -> dict[str, Any]:
    """A bank question as a package holds it: its key, its stream as stored, its sorted tags and its
    language."""
    stream = json.loads(json_bytes(list(question.question.raw_data)))
    tags = sorted(tag.name for tag in question.tags.all())
    language = question.locale.language_code
    return {
        "key": bank_question_key(stream, tags, language),
        "question": stream,
        "tags": tags,
        "language": language,
    }


@dataclass
class _Bank:
    """The bank questions a course's quizzes can show, by key: each one a quiz chooses, and every
    question carrying the tag of a random draw (the draw is made per attempt, from the whole tag)."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)

    def add(self, question: BankQuestion) -> str:
        if question.pk not in self.keys:
            entry = bank_question_identity(question)
            self.entries.setdefault(entry["key"], entry)
            self.keys[question.pk] = entry["key"]
        return self.keys[question.pk]

    def chosen(self, value: Any, path: str) -> str:
        try:
            found = BankQuestion.objects.select_related("locale").prefetch_related("tags")
            question = found.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            question = None
        if question is None:
            raise ExportError(
                _("%(field)s: the bank question chosen here no longer exists.") % {"field": path}
            )
        return self.add(question)

    def tagged(self, tag: Any) -> None:
        if not isinstance(tag, str) or tag in self.tags:
            return
        self.tags.add(tag)
        for question in (
            BankQuestion.objects.filter(tags__name=tag)
            .distinct()
            .order_by("pk")
            .select_related("locale")
            .prefetch_related("tags")
        ):
            self.add(question)

    def listing(self) -> list[dict[str, Any]]:
        return [self.entries[key] for key in sorted(self.entries)]


def _as_exported(page: Page) -> Page:
    """What a package holds of a page: its published content, or its latest draft if never published."""
    if not isinstance(page, page.specific_class):
        page = page.specific
    if page.live:
        return page
    return page.get_latest_revision_as_object() if page.latest_revision_id else page


def _page_key(page_id: Any) -> str | None:
    try:
        key = Page.objects.filter(pk=int(page_id)).values_list("translation_key", flat=True).first()
    except (TypeError, ValueError):
        return None
    return str(key) if key else None


def _rich_text(html: str) -> str:
    return rewrite_page_links(html or "", _page_key)


class _PageWriter:
    def __init__(self, media: _Media, bank: _Bank | None = None):
        self.media = media
        self.bank = bank if bank is not None else _Bank()

    def leaf(self, kind: str, value: Any, path: str, block: Any) -> Any:
        if kind in ("image", "document"):
            if value in (None, ""):
                return None
            model = get_image_model() if kind == "image" else get_document_model()
            item = model.objects.filter(pk=value).first()
            return self.media.add(kind, item)
        if kind == "richtext":
            return _rich_text(value)
        if kind == "bank_question":
            return self.bank.chosen(value, path) if value not in (None, "") else None
        if kind == "bank_draw":
            self.bank.tagged(value.get("tag"))
            return value
        raise ExportError(
            _("%(field)s: a block choosing a snippet or a page cannot be exported yet.") % {"field": path}
        )

    def field_value(self, page: Page, name: str) -> Any:
        if name == "tags":
            return sorted(page.tags.names())
        if name in COURSE_REFERENCES:
            if name == "prerequisites":
                return sorted(str(course.translation_key) for course in page.prerequisites.all())
            target = getattr(page, name)
            return str(target.translation_key) if target is not None else None
        model_field = page._meta.get_field(name)
        value = getattr(page, name)
        if model_field.is_relation:  # the cover image
            return self.media.add("image", value)
        if isinstance(model_field, StreamField):
            raw = list(value.raw_data)
            return walk_stream(model_field.stream_block, raw, name, self.leaf)
        if isinstance(model_field, RichTextField):
            return _rich_text(value)
        if isinstance(value, Decimal):
            return str(value)
        return value

    def node(self, page: Page, content: Page | None = None) -> dict[str, Any]:
        """The package's node of `page`: its exported content, or `content` (a revision) given."""
        content = content if content is not None else _as_exported(page)
        label = page_type_label(content)
        return {
            "key": str(content.translation_key),
            "type": label,
            "title": content.title,
            "slug": content.slug,
            "fields": {name: self.field_value(content, name) for name in FIELDS[label]},
        }


def _tree(page: Page) -> list[Page]:
    return list(Page.objects.filter(path__startswith=page.path, depth__gte=page.depth).order_by("path"))


def course_package_data(course: CoursePage) -> tuple[dict[str, Any], _Media]:
    """course.json's content for `course` (a page in its source language), and the media it names."""
    media = _Media()
    bank = _Bank()
    writer = _PageWriter(media, bank)
    pages = _tree(course)
    nodes: dict[int, dict[str, Any]] = {}
    root: dict[str, Any] = {}
    for page in pages:
        node = writer.node(page)
        if page.depth > course.depth:
            node_children = nodes[_parent_id(page, pages)].setdefault("children", [])
            node_children.append(node)
        else:
            root = node
        node.setdefault("children", [])
        nodes[page.pk] = node
    keys = [page.translation_key for page in pages]
    translations: dict[str, list[dict[str, Any]]] = {}
    for locale in Locale.objects.exclude(pk=course.locale_id).order_by("language_code"):
        by_key = {
            page.translation_key: page
            for page in Page.objects.filter(translation_key__in=keys, locale=locale)
        }
        translated = [writer.node(by_key[key]) for key in keys if key in by_key]
        if translated:
            translations[locale.language_code] = translated
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "source_site": settings.WAGTAILADMIN_BASE_URL,
        "language": course.locale.language_code,
        "course": root,
        "translations": translations,
        "media": {"images": media.listing(IMAGES_DIR), "documents": media.listing(DOCUMENTS_DIR)},
        "bank_questions": bank.listing(),
    }
    return data, media


def _parent_id(page: Page, pages: list[Page]) -> int:
    parent_path = page.path[: -Page.steplen]
    return next(candidate.pk for candidate in pages if candidate.path == parent_path)


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A package's zip entry: dated 1980-01-01, deflated, a plain file readable by all."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def course_export(course: CoursePage, out: IO[bytes]) -> dict[str, Any]:
    """Write the package of `course` to `out`; returns course.json's content."""
    data, media = course_package_data(course)
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zip_entry(COURSE_FILE), json_bytes(data))
        for path in sorted(media.files):
            with media.files[path].open("rb") as source, package.open(zip_entry(path), "w") as target:
                shutil.copyfileobj(source, target, CHUNK)
    return data
