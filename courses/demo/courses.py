"""The demo courses for `seed_demo`, loaded from course packages as any site loads one.

Each demo course is a course package (docs/course-packages.md) kept unzipped in
`courses/demo/packages/<slug>/`, so a change to the demo reads as a diff of its JSON:

- `orientation`: the orientation course for new overseas volunteers (Thai, five modules, every
  lesson block type, a quiz at the end of each module; its certificate valid three years), with its
  English translation;
- `case-practice`: a short follow-up course that needs the orientation first (Thai only, so the
  English catalog shows a course not yet translated);
- `how-to-use-this-platform`: a short course on the platform, in Thai and English;
- `orientation-refresher`: the orientation's refresher course, taught in runs with live sessions,
  whose completion renews the orientation certificate.

The seeder zips each folder and hands it to `courses.transfer.importer.course_import`, the import a
lead trainer runs in the admin (every check of a hostile package included), then publishes what it
created. The English pages are then made translations with wagtail-localize from the package's
English, string by string, so the admin's translation editor shows the demo with real content and
later edits to the Thai can be synced into English. What a package does not carry (help lines, the
catalog, the cached embed of the WHO guide, the review workflow) is seeded here too.

To change the demo content: edit the course in the admin of a `make run` site, then
`manage.py course_export <slug> -o x.zip` and unzip it over its folder (`tests/courses/demo/
test_demo_packages.py` checks that the seeded demo exports as the packages, byte for byte).
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page

from courses.authoring.models import CourseIndexPage, CoursePage
from courses.authoring.services import course_review_require, help_line_upsert
from courses.transfer.export import zip_entry
from courses.transfer.format import COURSE_FILE
from courses.transfer.importer import ImportResult, course_import
from courses.translation.services import catalog_translation_ensure

PACKAGES = Path(__file__).resolve().parent / "packages"
# In catalog order; a course naming one later in the list (the orientation's refresher course) is
# imported once more when that one is here.
COURSES = ["orientation", "case-practice", "how-to-use-this-platform", "orientation-refresher"]
# Changes to the orientation go through the review workflow even if it leaves the catalog.
REVIEWED = ["orientation"]

CATALOG = {
    "th": {"title": "หลักสูตร", "intro": "<p>เลือกหลักสูตรที่ต้องการ กรองตามหัวข้อ หรือค้นหาจากเนื้อหาในบทเรียน</p>"},
    "en": {
        "title": "Courses",
        "intro": "<p>Choose a course, filter by topic, or search the text of the lessons.</p>",
    },
}

HELP_LINES = [
    # country, organisation, phone, hours, languages
    ("TH", "ศูนย์ช่วยเหลือสังคม สายด่วน 1300 (กระทรวง พม.)", "1300", "ทุกวัน 24 ชั่วโมง", "ไทย"),
    ("TH", "สายด่วนสุขภาพจิต กรมสุขภาพจิต", "1323", "ทุกวัน 24 ชั่วโมง", "ไทย"),
    ("NO", "Mental Helse Hjelpetelefonen", "116 123", "ทุกวัน 24 ชั่วโมง", "นอร์เวย์"),
    (
        "NO",
        "Vold- og overgrepslinjen (สายด่วนความรุนแรงและการล่วงละเมิด)",
        "116 006",
        "ทุกวัน 24 ชั่วโมง",
        "นอร์เวย์, อังกฤษ",
    ),
    ("NO", "ตำรวจ (เหตุฉุกเฉิน)", "112", "ทุกวัน 24 ชั่วโมง", "นอร์เวย์, อังกฤษ"),
]

# The orientation links the WHO's guide as an embed. who.int speaks no oEmbed, so any site shows it
# as a link (courses/authoring/embeds.py); the demo caches it with the guide's title and publisher.
PFA_GUIDE_URL = "https://www.who.int/publications/i/item/9789241548205"


# --- the packages --------------------------------------------------------------------------------


def package_files(slug: str) -> dict[str, bytes]:
    """The files of a demo package by their name in the zip, in the order an export writes them."""
    folder = PACKAGES / slug
    names = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    names.sort(key=lambda name: name != COURSE_FILE)  # course.json first, then the media by name
    return {name: (folder / name).read_bytes() for name in names}


def package_zip(slug: str) -> bytes:
    """A demo package as a zip, its entries as an export writes them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in package_files(slug).items():
            archive.writestr(zip_entry(name), data)
    return out.getvalue()


@cache
def package_data(slug: str) -> dict[str, Any]:
    """A demo package's course.json."""
    return json.loads((PACKAGES / slug / COURSE_FILE).read_bytes())


def package_pages(slug: str, language: str | None = None) -> list[dict[str, Any]]:
    """A demo package's pages in tree order: the source tree, or its translation into `language`."""
    data = package_data(slug)
    if language is not None and language != data["language"]:
        return list(data["translations"].get(language, []))
    pages, stack = [], [data["course"]]
    while stack:
        node = stack.pop(0)
        pages.append(node)
        stack[:0] = node.get("children", [])
    return pages


def demo_questions() -> dict[str, list[dict[str, Any]]]:
    """Every question of the demo quizzes by its block id, in every language (a question has the same
    id in each), as the packages hold it: the journeys answer from these, as a volunteer who read
    the lessons would."""
    questions: dict[str, list[dict[str, Any]]] = {}
    for slug in COURSES:
        languages = [None, *package_data(slug)["translations"]]
        for node in (page for language in languages for page in package_pages(slug, language)):
            for question in node["fields"].get("questions") or []:
                questions.setdefault(question["id"], []).append(question)
    return questions


def demo_image_titles() -> list[str]:
    """The titles of the demo courses' images."""
    return sorted({image["title"] for slug in COURSES for image in package_data(slug)["media"]["images"]})


# --- seeding ---------------------------------------------------------------------------------------


@transaction.atomic
def seed_courses() -> None:
    """Help lines, the catalog in Thai and English, and the demo courses from their packages, published;
    idempotent (a course with a change waiting for review is left to the review)."""
    for order, (country, organisation, phone, hours, languages) in enumerate(HELP_LINES):
        help_line_upsert(
            country=country,
            organisation=organisation,
            phone=phone,
            hours=hours,
            languages=languages,
            sort_order=order,
        )
    catalog = _seed_catalog()
    _cache_pfa_embed()
    imported: dict[str, ImportResult] = {}
    for slug in COURSES:
        if not _in_review(slug):
            imported[slug] = _import(slug)
    for slug, result in list(imported.items()):
        if result.warnings:  # it named a course imported after it
            imported[slug] = _import(slug)
    for slug in REVIEWED:
        course_review_require(
            course=CoursePage.objects.get(
                translation_key=package_data(slug)["course"]["key"], locale=catalog.locale
            )
        )
    for slug in imported:
        _translate(slug)


def _seed_catalog() -> CourseIndexPage:
    from courses.demo.translation import page_translate_demo

    thai = Locale.objects.get(language_code="th")
    catalog = CourseIndexPage.objects.get(depth=3, locale=thai)
    fields = CATALOG["th"]
    if catalog.title != fields["title"] or not catalog.intro:
        catalog.title = catalog.draft_title = fields["title"]
        catalog.intro = fields["intro"]
        catalog.save_revision().publish()
    catalog_translation_ensure(catalog=catalog, language_code="en", title=CATALOG["en"]["title"])
    # Translated with wagtail-localize like the courses: a copy would keep the Thai introduction.
    page_translate_demo(source=catalog, fields=CATALOG["en"])
    return catalog


def _cache_pfa_embed() -> None:
    Embed.objects.get_or_create(
        hash=get_embed_hash(PFA_GUIDE_URL),
        defaults={
            "url": PFA_GUIDE_URL,
            "type": "link",
            "html": "",
            "title": "Psychological first aid: Guide for field workers",
            "provider_name": "World Health Organization",
            "thumbnail_url": "",
        },
    )


def _in_review(slug: str) -> bool:
    """Whether a page of this demo course has a change waiting for review (or sent back)."""
    keys = [node["key"] for node in package_pages(slug)]
    return any(
        page.current_workflow_state is not None and page.has_unpublished_changes
        for page in Page.objects.filter(translation_key__in=keys)
    )


def _import(slug: str) -> ImportResult:
    """Import the package as drafts (no one submits them) and publish what it created or changed."""
    result = course_import(io.BytesIO(package_zip(slug)), submit=False)
    for page in [*result.created, *result.changed]:
        Page.objects.get(pk=page.pk).get_latest_revision().publish()
    return result


TEXT_FIELDS = (models.CharField, models.TextField, RichTextField, StreamField)


def _translate(slug: str) -> None:
    """Make the course's pages in each other language of its package wagtail-localize translations
    of its source pages, from the text the import gave them."""
    from courses.demo.translation import page_translate_demo

    data = package_data(slug)
    source_locale = Locale.objects.get(language_code=data["language"])
    for language, nodes in sorted(data["translations"].items()):
        locale = Locale.objects.get(language_code=language)
        for node in nodes:
            source = Page.objects.get(translation_key=node["key"], locale=source_locale).specific
            page = Page.objects.get(translation_key=node["key"], locale=locale).specific
            fields: dict[str, Any] = {"title": page.title}
            for name in node["fields"]:
                field = page._meta.get_field(name)
                if isinstance(field, StreamField):
                    fields[name] = list(getattr(page, name).raw_data)
                elif isinstance(field, TEXT_FIELDS) and not field.is_relation:
                    fields[name] = getattr(page, name)
            tags = node["fields"].get("tags")
            page_translate_demo(source=source, fields=fields, tags=tags, language_code=language)
