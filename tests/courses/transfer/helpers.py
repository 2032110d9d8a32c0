"""Packages for the transfer tests: exported from the demo, or rebuilt with one thing changed."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from django.conf import settings
from wagtail.models import Page

from courses.models import CoursePage
from courses.transfer.export import course_export, zip_entry


def demo_courses() -> list[CoursePage]:
    return list(CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path"))


def exported(course: CoursePage) -> bytes:
    out = io.BytesIO()
    course_export(course, out)
    return out.getvalue()


def entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def course_json(package: bytes) -> dict:
    return json.loads(entries(package)["course.json"])


def rebuilt(files: dict[str, bytes], *, raw: list[tuple[zipfile.ZipInfo | str, bytes]] = ()) -> bytes:
    """A zip of `files` (course.json given as a dict is written as JSON), plus raw entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            if isinstance(content, dict):
                content = json.dumps(content, ensure_ascii=False).encode()
            archive.writestr(zip_entry(name), content)
        for info, content in raw:
            archive.writestr(info, content)
    return out.getvalue()


def with_course_json(package: bytes, change) -> bytes:
    """`package` with course.json changed by `change(data)` (in place)."""
    files = entries(package)
    data = json.loads(files["course.json"])
    change(data)
    files["course.json"] = data
    return rebuilt(files)


def move_out_of_the_way(course: CoursePage) -> None:
    """Make the site as if it never had this course (an empty site for it), keeping the rows that
    enrolments and certificates point at: the old pages get new keys and the course a new address."""
    keys = set(Page.objects.filter(path__startswith=course.path).values_list("translation_key", flat=True))
    for key in keys:
        Page.objects.filter(translation_key=key).update(translation_key=uuid.uuid4())
    Page.objects.filter(translation_key=Page.objects.get(pk=course.pk).translation_key).update(
        slug=f"moved-{course.slug}"
    )


def first_difference(left, right, path: str = "") -> str | None:
    """Where two JSON values first differ (for assertion messages)."""
    if type(left) is not type(right):
        return f"{path}: {left!r:.200} != {right!r:.200}"
    if isinstance(left, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                return f"{path}.{key}: only on one side"
            found = first_difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items != {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{path}: {left!r:.300} != {right!r:.300}"
