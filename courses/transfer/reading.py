"""Reading a course package: the zip's names, sizes and ratios, its course.json against the JSON
Schema, and each media file for what it claims to be (no SVG, images Pillow reads, documents of
their type, office files' XML without entities). Nothing here writes; `courses.transfer.importer`
writes what passed."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

import defusedxml.ElementTree
import jsonschema
from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image as PillowImage

from courses.transfer.format import (
    COURSE_FILE,
    DIRECTORIES,
    IMAGE_FORMATS,
    IMAGES_DIR,
    MEDIA_NAME,
    SCHEMA_PATH,
    Limits,
    PackageRefused,
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


def read_archive(source: IO[bytes], limits: Limits | None = None) -> Package:
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
