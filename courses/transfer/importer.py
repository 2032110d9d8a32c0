"""Loading a course package into this site: as drafts that go through the review workflow.

A package is treated as hostile. It is read in full and checked before anything is written: the
zip's names (nothing outside the package), its entry count, sizes and compression ratios (no zip
bombs), course.json against the JSON Schema, the tree's page types, every rich text value against
its field's features (no scripts, event handlers or javascript: links), every image with Pillow
(PNG, JPEG, GIF or WebP, no SVG), every document's type by its bytes, and the XML inside office
documents with defusedxml (no entity expansion, no DTD). Then one transaction writes it all, or,
when a page does not validate, nothing.

Pages are matched by translation key and language: a page already here gets a new revision only
when its latest revision differs from the package (so the same package imported twice changes
nothing), a new page is created unpublished. Each new or changed page is submitted to its review
workflow by the importing user; images and documents with the same bytes as one here are reused.

Bank questions are checked by their own block's validation and their key (a hash of their content
and tags) before anything is written. One here with the same key is reused, a missing one created
(with its tags) before the pages, so the quiz blocks choosing one point at this site's row and a
random draw's tag finds its questions when the quiz is validated.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import IO, Any

import defusedxml.ElementTree
import jsonschema
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from wagtail.blocks import ListBlockValidationError, StreamBlockValidationError, StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Locale, Page

from courses.authoring.models import CourseIndexPage, CoursePage
from courses.quizzes.bank import BankQuestion
from courses.quizzes.blocks import drawing_locale
from courses.transfer.content import rewrite_page_links, rich_text_violation, walk_stream
from courses.transfer.export import _Media, _PageWriter, bank_question_identity, bank_question_legacy_key
from courses.transfer.format import (
    CHILD_TYPES,
    COURSE_FILE,
    COURSE_REFERENCES,
    DIRECTORIES,
    DOCUMENTS_DIR,
    IMAGE_FORMATS,
    IMAGES_DIR,
    MEDIA_NAME,
    SCHEMA_PATH,
    Limits,
    PackageRefused,
    bank_question_key,
)

logger = logging.getLogger(__name__)

PACKAGE = "(zip)"
TRAINING_MEDIA = "Training media"
CHUNK = 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024
OFFICE_EXTENSIONS = {"docx", "xlsx", "pptx", "odt"}
TEXT_EXTENSIONS = {"txt", "csv", "vtt"}
# Markup a text document must not carry: browsers that sniff content could run it.
TEXT_MARKUP = (b"<svg", b"<script", b"<html", b"<!doctype", b"<?xml", b"<iframe", b"<object")


# --- Reading and checking the package -------------------------------------------------------------


@dataclass
class MediaFile:
    """A media entry unpacked to a temporary file (in memory while small), with its hashes."""

    file: IO[bytes]
    size: int
    sha1: str
    sha256: str

    def head(self, count: int = 2048) -> bytes:
        self.file.seek(0)
        return self.file.read(count)

    def chunks(self):
        self.file.seek(0)
        yield from iter(lambda: self.file.read(CHUNK), b"")


@dataclass
class Package:
    """A package read and checked: course.json's content and each media file by path."""

    data: dict[str, Any]
    files: dict[str, MediaFile]

    def close(self) -> None:
        for media in self.files.values():
            media.file.close()


def _checked_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if (
        "\\" in name
        or name.startswith("/")
        or ".." in parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    ):
        raise PackageRefused(name, _("This name points outside the package."))
    if name != COURSE_FILE and name not in DIRECTORIES and not MEDIA_NAME.match(name):
        raise PackageRefused(name, _("A course package holds no file of this name."))
    if info.flag_bits & 0x1:
        raise PackageRefused(name, _("Encrypted files are not accepted."))
    return name


def _entry_limit(name: str, limits: Limits) -> int:
    if name == COURSE_FILE:
        return limits.course_json_bytes
    return limits.image_bytes if name.startswith(IMAGES_DIR) else limits.document_bytes


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits, file: str = PACKAGE) -> None:
    """Entry count, total size and compression ratio as the zip declares them (a zip bomb declares
    them truthfully or is caught reading: `_read` never reads past the declared size)."""
    if len(infos) > limits.entries:
        raise PackageRefused(
            file,
            _("The package holds %(count)d files; at most %(limit)d are accepted.")
            % {"count": len(infos), "limit": limits.entries},
        )
    total = sum(info.file_size for info in infos)
    if total > limits.total_bytes:
        raise PackageRefused(
            file, _("The package unpacks to more than %(limit)d MB.") % {"limit": limits.total_bytes // 2**20}
        )
    for info in infos:
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            raise PackageRefused(
                info.filename,
                _("This file expands %(ratio)d times when unpacked; at most %(limit)d times is accepted.")
                % {"ratio": info.file_size // max(info.compress_size, 1), "limit": limits.ratio},
            )


def _too_large(info: zipfile.ZipInfo, limit: int) -> PackageRefused:
    return PackageRefused(
        info.filename, _("This file is larger than %(limit)d MB.") % {"limit": max(limit // 2**20, 1)}
    )


def _spool(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> MediaFile:
    """Unpack a media entry to a temporary file, never more than `limit` bytes, hashing it."""
    if info.file_size > limit:
        raise _too_large(info, limit)
    target = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (Package.close)
    sha1, sha256, size = hashlib.sha1(), hashlib.sha256(), 0  # noqa: S324 (Wagtail's file_hash)
    try:
        with archive.open(info) as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                size += len(chunk)
                if size > limit:
                    raise _too_large(info, limit)
                sha1.update(chunk)
                sha256.update(chunk)
                target.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        target.close()
        raise PackageRefused(info.filename, _("This file cannot be unpacked.")) from error
    except PackageRefused:
        target.close()
        raise
    target.seek(0)
    return MediaFile(file=target, size=size, sha1=sha1.hexdigest(), sha256=sha256.hexdigest())


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise PackageRefused(
            info.filename, _("This file is larger than %(limit)d MB.") % {"limit": max(limit // 2**20, 1)}
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise PackageRefused(info.filename, _("This file cannot be unpacked.")) from error
    if len(data) > limit:
        raise PackageRefused(
            info.filename, _("This file is larger than %(limit)d MB.") % {"limit": max(limit // 2**20, 1)}
        )
    return data


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def _json_path(parts) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _parse_course_json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise PackageRefused(COURSE_FILE, _("The file is not UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise PackageRefused(
            COURSE_FILE,
            _("The file is not valid JSON: %(error)s") % {"error": error.msg},
            _("line %(line)d, column %(column)d") % {"line": error.lineno, "column": error.colno},
        ) from error
    error = jsonschema.exceptions.best_match(_schema_validator().iter_errors(data))
    if error is not None:
        raise PackageRefused(
            COURSE_FILE,
            _("The value does not match the course package format: %(detail)s")
            % {"detail": error.message[:300]},
            _json_path(error.absolute_path) or "(root)",
        )
    return data


def read_package(source: IO[bytes], limits: Limits | None = None) -> Package:
    """Read and check a package (see the module's docstring); raises PackageRefused."""
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PackageRefused(PACKAGE, _("The file is not a zip file.")) from error
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, limits)
        names = [_checked_name(info) for info in infos]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise PackageRefused(duplicates[0], _("The package holds this file twice."))
        if COURSE_FILE not in names:
            raise PackageRefused(COURSE_FILE, _("The package has no course.json."))
        data = _parse_course_json(_read(archive, archive.getinfo(COURSE_FILE), limits.course_json_bytes))
        package = Package(data=data, files={})
        try:
            for info in infos:
                if info.filename not in DIRECTORIES and info.filename != COURSE_FILE:
                    package.files[info.filename] = _spool(archive, info, _entry_limit(info.filename, limits))
            _check_media(data, package.files, limits)
            _check_tree(data)
        except BaseException:
            package.close()
            raise
    return package


def _check_media(data: dict[str, Any], files: dict[str, MediaFile], limits: Limits) -> None:
    listed = {}
    for kind in ("images", "documents"):
        for index, entry in enumerate(data["media"][kind]):
            path = entry["path"]
            if path in listed:
                raise PackageRefused(
                    COURSE_FILE, _("This file is listed twice."), f"media.{kind}[{index}].path"
                )
            listed[path] = f"media.{kind}[{index}].path"
    for path in sorted(files):
        if path not in listed:
            raise PackageRefused(path, _("This file is in the package but not listed in course.json."))
    for path, where in listed.items():
        if path not in files:
            raise PackageRefused(COURSE_FILE, _("The package has no file %(path)s.") % {"path": path}, where)
        media = files[path]
        if media.sha256 != MEDIA_NAME.match(path).group(2):
            raise PackageRefused(path, _("The file's content does not match its name (a SHA-256 hash)."))
        if path.startswith(IMAGES_DIR):
            _check_image(path, media.head(media.size), limits)
        else:
            _check_document(path, media, limits)


def _check_image(path: str, content: bytes, limits: Limits) -> None:
    extension = path.rsplit(".", 1)[1]
    refused = PackageRefused(path, _("This is not a PNG, JPEG, GIF or WebP image (SVG is not accepted)."))
    if content.lstrip()[:5].lower() in (b"<svg ", b"<?xml") or b"<svg" in content[:1024].lower():
        raise refused
    try:
        with PillowImage.open(io.BytesIO(content)) as image:
            if image.width * image.height > limits.image_pixels:
                raise PackageRefused(path, _("This image has too many pixels."))
            image_format = image.format
            image.verify()
    except PackageRefused:
        raise
    except Exception as error:  # Pillow raises many kinds for a damaged or foreign file
        raise refused from error
    if IMAGE_FORMATS.get(image_format) != extension:
        raise refused


def _check_document(path: str, media: MediaFile, limits: Limits) -> None:
    extension = path.rsplit(".", 1)[1]
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise PackageRefused(path, _("Documents of this type are not accepted."))
    wrong = PackageRefused(
        path, _("The file's content does not match its type (.%(extension)s).") % {"extension": extension}
    )
    content = media.head()
    if extension in TEXT_EXTENSIONS:
        _check_text(path, media, wrong)
        if extension == "vtt" and not content.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            raise wrong
    elif extension == "pdf":
        if not content.startswith(b"%PDF-"):
            raise wrong
    elif extension == "mp4":
        if content[4:8] != b"ftyp":
            raise wrong
    elif extension == "webm":
        if not content.startswith(b"\x1a\x45\xdf\xa3"):
            raise wrong
    elif extension in OFFICE_EXTENSIONS:
        _check_office_xml(path, media.file, limits)
    else:
        raise PackageRefused(path, _("Documents of this type are not accepted."))


def _check_text(path: str, media: MediaFile, wrong: PackageRefused) -> None:
    """UTF-8 throughout, and no markup a browser sniffing the content could run (read in chunks,
    each searched with the end of the one before, so a marker split between them is found)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    try:
        for chunk in media.chunks():
            decoder.decode(chunk)
            window = tail + chunk.lower()
            if any(marker in window for marker in TEXT_MARKUP):
                raise PackageRefused(path, _("A text document must not contain web page, SVG or XML markup."))
            tail = window[-16:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise wrong from error


def _check_office_xml(path: str, content: IO[bytes], limits: Limits) -> None:
    """An office document is a zip of XML: the same limits as the package, and every XML part
    parsed with defusedxml, which refuses entity declarations (the "billion laughs") and DTDs."""
    try:
        content.seek(0)
        archive = zipfile.ZipFile(content)
    except zipfile.BadZipFile as error:
        raise PackageRefused(
            path,
            _("The file's content does not match its type (.%(extension)s).")
            % {"extension": path.rsplit(".", 1)[1]},
        ) from error
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, Limits(**{**limits.__dict__, "entries": limits.xml_entries}), file=path)
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            part = _read(archive, info, limits.document_bytes)
            try:
                defusedxml.ElementTree.fromstring(part, forbid_dtd=True)
            except DefusedXmlException as error:
                raise PackageRefused(
                    path,
                    _("%(part)s declares entities or a DTD, which are not accepted.")
                    % {"part": info.filename},
                ) from error
            except Exception as error:  # ParseError: not well-formed
                raise PackageRefused(
                    path, _("%(part)s is not well-formed XML.") % {"part": info.filename}
                ) from error


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


@dataclass
class ImportResult:
    course: CoursePage
    created: list[Page] = field(default_factory=list)
    changed: list[Page] = field(default_factory=list)
    unchanged: int = 0
    submitted: int = 0
    bank_created: list[BankQuestion] = field(default_factory=list)
    bank_reused: int = 0
    warnings: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, package: Package, user: Any):
        self.package = package
        self.user = user
        self.media: dict[str, Any] = {}
        self.saved_files: list[Any] = []
        self.warnings: list[str] = []
        # This site's bank question id for each key of the package.
        self.bank: dict[str, int] = {}
        self.entries = {
            entry["path"]: entry for kind in ("images", "documents") for entry in package.data["media"][kind]
        }

    # Media ------------------------------------------------------------------------------------

    def media_item(self, path: str):
        if path not in self.media:
            self.media[path] = self._find_or_create(path)
        return self.media[path]

    def _find_or_create(self, path: str):
        media = self.package.files[path]
        is_image = path.startswith(IMAGES_DIR)
        model = get_image_model() if is_image else get_document_model()
        found = model.objects.filter(file_hash=media.sha1).order_by("pk").first()
        if found is None:
            # Rows saved without a hash (by scripts rather than the admin's forms) get one now.
            for candidate in model.objects.filter(file_hash="").order_by("pk"):
                if candidate.get_file_hash() == media.sha1 or _digest_of(candidate) == media.sha256:
                    return candidate
        if found is not None:
            return found
        entry = self.entries[path]
        name = path.rsplit("/", 1)[1]
        collection = (
            Collection.objects.filter(name=TRAINING_MEDIA, depth=2).first()
            or Collection.get_first_root_node()
        )
        if is_image:
            item = model(
                title=entry["title"], description=entry.get("description", ""), collection=collection
            )
            media.file.seek(0)
            item.file = ImageFile(media.file, name=name)
        else:
            item = model(title=entry["title"], collection=collection)
            media.file.seek(0)
            item.file = File(media.file, name=name)
        item.file_hash = media.sha1
        item.file_size = media.size
        item.uploaded_by_user = self.user if getattr(self.user, "pk", None) else None
        item.save()
        self.saved_files.append(item.file)
        return item

    # Bank questions ---------------------------------------------------------------------------

    def bank_questions(self, result: ImportResult) -> None:
        """Find each bank question of the package here by key, or create it with its tags."""
        entries = self.package.data.get("bank_questions", [])
        if not entries:
            return
        default = Locale.get_default()
        here: dict[str, int] = {}
        for question in BankQuestion.objects.order_by("pk").select_related("locale").prefetch_related("tags"):
            here.setdefault(bank_question_identity(question)["key"], question.pk)
            if question.locale_id == default.pk:
                # Packages written before bank questions had a language hold default-locale ones.
                here.setdefault(bank_question_legacy_key(question), question.pk)
        user = self.user if getattr(self.user, "pk", None) else None
        for index, entry in enumerate(entries):
            if entry["key"] in here:
                self.bank[entry["key"]] = here[entry["key"]]
                result.bank_reused += 1
                continue
            language = entry.get("language")
            locale = Locale.objects.get(language_code=language) if language is not None else default
            question = BankQuestion(question=entry["question"], locale=locale, created_by=user)
            question.tags.add(*entry["tags"])
            question.save()
            stored = BankQuestion.objects.prefetch_related("tags").get(pk=question.pk)
            stored_key = (
                bank_question_identity(stored)["key"] if language else bank_question_legacy_key(stored)
            )
            if stored_key != entry["key"]:
                # Stored otherwise than sent (a form Wagtail rewrites on saving): a second import
                # could not find it again.
                raise PackageRefused(
                    COURSE_FILE,
                    _("This bank question would be stored differently here."),
                    f"bank_questions[{index}].question",
                )
            log(instance=question, action="wagtail.create", user=user)
            self.bank[entry["key"]] = question.pk
            result.bank_created.append(question)

    # Fields -----------------------------------------------------------------------------------

    def _page_id(self, key: str, locale: Locale) -> str | None:
        try:
            uuid.UUID(key)
        except ValueError:
            return None
        found = Page.objects.filter(translation_key=key, locale=locale).values_list("pk", flat=True).first()
        return str(found) if found else None

    def _course(self, key: str, locale: Locale, field_path: str) -> CoursePage | None:
        """The course with this key in the page's language, else in the site's default language (a
        translated course may name a course not translated yet, as wagtail-localize leaves it)."""
        found = CoursePage.objects.filter(
            translation_key=key, locale__language_code__in=[locale.language_code, settings.LANGUAGE_CODE]
        )
        course = min(found, key=lambda page: page.locale_id != locale.pk, default=None)
        if course is None:
            self.warnings.append(
                _("%(field)s: the course %(key)s is not on this site; left out.")
                % {"field": field_path, "key": key}
            )
        return course

    def apply(self, page: Page, node: dict[str, Any], path: str) -> None:
        """Set the page's title, slug and fields from `node` (checked already)."""
        page.title = page.draft_title = node["title"]
        page.slug = node["slug"]
        locale = page.locale

        def leaf(kind, value, leaf_path, block):
            if kind in ("image", "document"):
                return self.media_item(value).pk if value else None
            if kind == "richtext":
                return rewrite_page_links(value, lambda key: self._page_id(key, locale))
            if kind == "bank_question":
                return self.bank[value] if value else None
            return value

        for name, value in node["fields"].items():
            field_path = f"{path}.fields.{name}"
            if name == "tags":
                page.tags.set(value)
                continue
            if name == "prerequisites":
                page.prerequisites.set(
                    [course for key in value if (course := self._course(key, locale, field_path))]
                )
                continue
            if name in COURSE_REFERENCES:
                page.refresher_course = self._course(value, locale, field_path) if value else None
                continue
            model_field = page._meta.get_field(name)
            if model_field.is_relation:
                setattr(page, name, self.media_item(value) if value else None)
            elif isinstance(model_field, StreamField):
                stream_block = model_field.stream_block
                raw = walk_stream(stream_block, value, field_path, leaf, strict=True)
                with drawing_locale(locale):  # random draws counted in the page's language
                    _clean_stream(stream_block, raw, field_path)
                setattr(page, name, raw)
            elif isinstance(model_field, RichTextField):
                setattr(page, name, rewrite_page_links(value, lambda key: self._page_id(key, locale)))
            elif name == "estimated_hours":
                page.estimated_hours = Decimal(value)
            else:
                setattr(page, name, value)

    def save(self, page: Page, path: str, parent: Page | None) -> None:
        try:
            if parent is not None:
                parent.add_child(instance=page)
            else:
                page.full_clean()
        except ValidationError as error:
            raise PackageRefused(COURSE_FILE, _invalid(error), _error_field(error, path)) from error
        page.save_revision(user=self.user if getattr(self.user, "pk", None) else None, log_action=True)


def _digest_of(item) -> str:
    digest = hashlib.sha256()
    try:
        with item.open_file() as handle:
            for chunk in iter(lambda: handle.read(2**20), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def _invalid(error: ValidationError) -> str:
    messages = error.messages if hasattr(error, "messages") else [str(error)]
    return _("The value is not valid here: %(errors)s") % {
        "errors": " ".join(str(message) for message in messages)[:500]
    }


def _error_field(error: ValidationError, path: str) -> str:
    if hasattr(error, "error_dict") and error.error_dict:
        name = sorted(error.error_dict)[0]
        return f"{path}.{'slug' if name == 'slug' else 'title' if name == 'title' else 'fields.' + name}"
    return path


def _unchanged(page: Page, node: dict[str, Any]) -> bool:
    """Whether the page's latest revision already is `node` (compared in the package's form)."""
    latest = page.specific.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    try:
        current = _PageWriter(_Media()).node(latest, content=latest)
    except Exception:  # a page here holding what packages cannot carry: it changes
        return False
    return all(current[name] == node[name] for name in ("title", "slug", "fields"))


def catalog_for(language: str) -> CourseIndexPage:
    catalog = CourseIndexPage.objects.filter(locale__language_code=language).order_by("path").first()
    if catalog is None:
        raise PackageRefused(
            COURSE_FILE,
            _("This site has no course catalog in %(language)s.") % {"language": language},
            "language",
        )
    return catalog


def course_import(
    source: IO[bytes], *, user: Any = None, submit: bool = True, limits: Limits | None = None
) -> ImportResult:
    """Import a package (see the module's docstring); raises PackageRefused, having written nothing."""
    package = read_package(source, limits)
    writer = _Writer(package, user)
    try:
        with transaction.atomic():
            result = _write(package, writer, submit=submit)
    except BaseException:
        for file in writer.saved_files:  # the rows went with the transaction; their files go too
            file.storage.delete(file.name)
        raise
    finally:
        package.close()
    return result


def _write(package: Package, writer: _Writer, *, submit: bool) -> ImportResult:
    data = package.data
    source_locale = Locale.objects.get(language_code=data["language"])
    catalog = catalog_for(data["language"])
    course_key = data["course"]["key"]
    same_slug = (
        CoursePage.objects.child_of(catalog)
        .filter(slug=data["course"]["slug"])
        .exclude(translation_key=course_key)
    )
    if same_slug.exists():
        raise PackageRefused(
            COURSE_FILE, _("Another course on this site already has this address."), "course.slug"
        )
    touched: list[Page] = []
    result = ImportResult(course=None)  # type: ignore[arg-type]
    writer.bank_questions(result)
    pages_by_key: dict[str, Page] = {}
    for node, path, parent_node in _nodes(data):
        parent = catalog if parent_node is None else pages_by_key[parent_node["key"]]
        pages_by_key[node["key"]] = _upsert(writer, node, path, parent, source_locale, result, touched)
    for language in sorted(data["translations"]):
        locale = Locale.objects.get(language_code=language)
        for index, node in enumerate(data["translations"][language]):
            path = f"translations.{language}[{index}]"
            source_page = pages_by_key[node["key"]]
            parent_source = source_page.get_parent()
            parent = parent_source.get_translation_or_none(locale)
            if parent is None:
                if parent_source.pk != catalog.pk:
                    writer.warnings.append(
                        _("%(field)s: its parent page has no translation; left out.") % {"field": path}
                    )
                    continue
                parent = catalog.copy_for_translation(locale)
            _upsert(writer, node, path, parent, locale, result, touched)
    result.course = pages_by_key[course_key]
    result.warnings = writer.warnings
    user = writer.user if getattr(writer.user, "pk", None) else None
    if submit and user is not None:
        for touched_page in touched:
            page = Page.objects.get(pk=touched_page.pk).specific
            workflow = page.get_workflow()
            if workflow is not None and not page.workflow_in_progress:
                workflow.start(page, user)
                result.submitted += 1
    log(
        instance=result.course,
        action="courses.course_import",
        user=user,
        data={
            "source_site": data["source_site"][:200],
            "created": len(result.created),
            "changed": len(result.changed),
            "unchanged": result.unchanged,
            "bank_questions_created": len(result.bank_created),
        },
    )
    logger.info(
        "course package imported: course %s, %d pages created, %d changed, %d unchanged, "
        "%d bank questions created, %d found here",
        result.course.pk,
        len(result.created),
        len(result.changed),
        result.unchanged,
        len(result.bank_created),
        result.bank_reused,
    )
    return result


def _upsert(
    writer: _Writer, node, path, parent: Page, locale: Locale, result: ImportResult, touched: list[Page]
) -> Page:
    model = _page_model(node["type"])
    page = Page.objects.filter(translation_key=node["key"], locale=locale).first()
    if page is None:
        page = model(
            translation_key=node["key"],
            locale=locale,
            live=False,
            owner=writer.user if getattr(writer.user, "pk", None) else None,
        )
        writer.apply(page, node, path)
        writer.save(page, path, parent)
        result.created.append(page)
        touched.append(page)
        return page
    if page.specific_class is not model:
        raise PackageRefused(COURSE_FILE, _("A page with this key here is of another type."), f"{path}.type")
    if _unchanged(page, node):
        result.unchanged += 1
        return page.specific
    latest = page.specific.get_latest_revision_as_object() if page.latest_revision_id else page.specific
    writer.apply(latest, node, path)
    writer.save(latest, path, None)
    result.changed.append(latest)
    touched.append(page.specific)
    return page.specific
