"""Checks on uploaded files: at most so large, and the content is what the file's name says.

A file whose content does not match its extension (a picture named .pdf, a web page named .csv)
is refused before anything reads it, with a message that says what was expected.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SNIFF_BYTES = 2048
ZIP = (b"PK\x03\x04",)
# The first bytes of each binary format we accept, by extension.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "webm": (b"\x1a\x45\xdf\xa3",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
TEXT_EXTENSIONS = {"csv", "txt", "vtt"}
# Content that is never a text file we accept: other formats' signatures, and web markup.
FOREIGN_TO_TEXT = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1a\x45\xdf\xa3")
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe")


def _head(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(position)
    return head


def content_matches_extension(head: bytes, extension: str) -> bool:
    extension = extension.lower().lstrip(".")
    if extension in TEXT_EXTENSIONS:
        stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        return not stripped.startswith(FOREIGN_TO_TEXT) and not any(tag in stripped.lower() for tag in MARKUP)
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    signatures = SIGNATURES.get(extension)
    return signatures is None or head.startswith(signatures)


def validate_upload(upload, *, max_bytes: int, extensions: set[str] | None = None) -> None:
    """Raise a ValidationError with a message for people when `upload` is too big or not what it says."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is larger than %(limit)s. Choose a smaller file.")
            % {"limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extensions is not None and extension not in extensions:
        raise ValidationError(
            _("Choose a file ending in %(extensions)s.")
            % {"extensions": ", ".join(f".{item}" for item in sorted(extensions))},
            code="file_extension",
        )
    if not content_matches_extension(_head(upload), extension):
        raise ValidationError(
            _("The file's content does not match its name: it is not a .%(extension)s file.")
            % {"extension": extension},
            code="file_content_mismatch",
        )
