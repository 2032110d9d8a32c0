"""The course package format: what goes in it, where, and the limits a package must keep.

One place for both directions, so an export always reads back: the fields written per page type,
the names of the entries in the zip, the identity of a bank question, the limits an import enforces,
and the refusal an import raises (naming the file and the field). See docs/course-packages.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

FORMAT = "thai-volunteer-lms/course-package"
# Version 2 added the question bank (`bank_questions`); version 1 packages still import.
FORMAT_VERSION = 2
COURSE_FILE = "course.json"
SCHEMA_PATH = Path(__file__).with_name("course-package.schema.json")
IMAGES_DIR = "media/images/"
DOCUMENTS_DIR = "media/documents/"
DIRECTORIES = {"media/", IMAGES_DIR, DOCUMENTS_DIR}
# Every entry of a zip the export writes carries this time, so the same course gives the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)

# What an image or a document may be. No SVG (it can carry scripts), no HTML or XML of its own.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp"}
MEDIA_NAME = re.compile(r"^media/(images|documents)/([0-9a-f]{64})\.([a-z0-9]{1,8})$")

# Page types in a course, by their app label and model name, and which may sit below which.
COURSE_TYPE = "courses.coursepage"
MODULE_TYPE = "courses.modulepage"
LESSON_TYPE = "courses.lessonpage"
QUIZ_TYPE = "courses.quizpage"
CHILD_TYPES = {
    COURSE_TYPE: {MODULE_TYPE},
    MODULE_TYPE: {LESSON_TYPE, QUIZ_TYPE},
    LESSON_TYPE: set(),
    QUIZ_TYPE: set(),
}

# The fields of each page type a package carries, besides title and slug. Anything else (the
# evaluation form, owners, dates, view restrictions) belongs to the site and stays as it is there.
PAGE_FIELDS = ["seo_title", "search_description"]
FIELDS = {
    COURSE_TYPE: [
        *PAGE_FIELDS,
        "summary",
        "description",
        "cover_image",
        "cover_alt",
        "tags",
        "estimated_hours",
        "audience",
        "prerequisites",
        "issues_certificate",
        "required_for_registration",
        "certificate_valid_months",
        "refresher_course",
        "completion_rule",
        "evaluation_required",
        "live_sessions_required",
        "remind_after_days",
    ],
    MODULE_TYPE: [*PAGE_FIELDS, "summary"],
    LESSON_TYPE: [
        *PAGE_FIELDS,
        "summary",
        "estimated_minutes",
        "is_required",
        "is_sensitive",
        "content_note",
        "body",
    ],
    QUIZ_TYPE: [
        *PAGE_FIELDS,
        "intro",
        "questions",
        "pass_mark",
        "max_attempts",
        "grading_method",
        "multiple_choice_scoring",
        "shuffle_questions",
        "shuffle_choices",
        "draw_count",
        "time_limit_minutes",
        "grace_seconds",
        "overdue_handling",
        "wait_minutes",
        *(
            f"review_{moment}_{part}"
            for moment in ("after", "later")
            for part in ("score", "marks", "answers", "feedback")
        ),
    ],
}
# Fields whose value names other courses by translation key.
COURSE_REFERENCES = {"prerequisites", "refresher_course"}
# The snippet quizzes choose from the bank: the one snippet a package carries.
BANK_QUESTION_MODEL = "courses.bankquestion"


def page_type_label(page) -> str:
    return f"{page._meta.app_label}.{page._meta.model_name}"


@dataclass(frozen=True)
class Limits:
    """What an import accepts at most. Settings can lower (or raise) each one."""

    entries: int = 2000
    total_bytes: int = 1024 * 1024 * 1024
    course_json_bytes: int = 20 * 1024 * 1024
    image_bytes: int = 10 * 1024 * 1024
    document_bytes: int = 200 * 1024 * 1024
    # Compressed entries above this size may expand at most `ratio` times (a real course's text
    # compresses about 5 to 10 times; a zip bomb thousands of times).
    ratio: int = 100
    ratio_floor_bytes: int = 1024 * 1024
    image_pixels: int = 40_000_000
    xml_entries: int = 500

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**getattr(settings, "COURSE_PACKAGE_LIMITS", {}))


class PackageRefused(Exception):
    """A package that cannot be imported: which file, which field (a JSON path), and why (already
    translated). Raised before anything is written, or inside the import's transaction."""

    def __init__(self, file: str, message: str, field: str = ""):
        super().__init__(file, message, field)
        self.file = file
        self.message = message
        self.field = field

    def __str__(self) -> str:
        place = f"{self.file}: {self.field}" if self.field else self.file
        return f"{place}: {self.message}"


def json_bytes(data: Any) -> bytes:
    """The one way a package writes JSON: sorted keys, two-space indents, UTF-8 as it is."""
    return (
        json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    ).encode()


def bank_question_key(question: list[dict[str, Any]], tags: list[str], language: str | None = None) -> str:
    """A bank question's identity in a package and across sites: the SHA-256 of its stored stream
    (block id included), its sorted tags and its language, written as `json_bytes` writes them. Ids
    are each site's own, and a new key field would need every bank question to carry one; the
    content is the same wherever the question travels, so importing it twice finds the one made the
    first time. `language` None is the key packages wrote before bank questions had a language
    (their questions are in the site's default language), so those packages still find theirs."""
    identity: dict[str, Any] = {"question": question, "tags": sorted(tags)}
    if language is not None:
        identity["language"] = language
    return hashlib.sha256(json_bytes(identity)).hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not JSON: {type(value).__name__}")
