"""Writes for courses that span models: course content pages, catalog translations, help lines and
the optional review workflow. Trainers author in the Wagtail admin; these serve the seeder and
operators' scripts through the same page, revision and publishing machinery."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from wagtail.models import Locale, Page, Workflow, WorkflowPage

from courses.models import CourseIndexPage, CoursePage, HelpLine

REVIEW_WORKFLOW_NAME = "Review by lead trainer"


def _without_ids(value: Any) -> Any:
    """Stream data without block ids, so equal content compares equal."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _differs(page: Page, fields: dict[str, Any]) -> bool:
    for name, wanted in fields.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            stream_block = page._meta.get_field(name).stream_block
            normalised = stream_block.get_prep_value(stream_block.to_python(wanted))
            if _without_ids(list(current.raw_data)) != _without_ids(normalised):
                return True
        elif current != wanted:
            return True
    return False


@transaction.atomic
def course_content_upsert(
    *,
    parent: Page,
    page_class: type[Page],
    slug: str,
    fields: dict[str, Any],
    tags: list[str] | None = None,
    prerequisites: list[CoursePage] | None = None,
) -> Page:
    """Create or update a live child page of `parent` by slug and publish it as a new revision.

    Nothing is written when the page already has this content, so running it again changes nothing.
    """
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        page = page_class(slug=slug, **fields)
        if tags is not None:
            page.tags.set(tags)
        if prerequisites is not None:
            page.prerequisites.set(prerequisites)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = _differs(page, fields) or not page.live or page.has_unpublished_changes
    if tags is not None and sorted(page.tags.names()) != sorted(tags):
        page.tags.set(tags)
        changed = True
    if prerequisites is not None and {p.pk for p in page.prerequisites.all()} != {
        p.pk for p in prerequisites
    }:
        page.prerequisites.set(prerequisites)
        changed = True
    if changed:
        for name, value in fields.items():
            setattr(page, name, value)
        page.draft_title = page.title
        page.save_revision().publish()
    return page


@transaction.atomic
def course_content_translate(
    *, source: Page, language_code: str, fields: dict[str, Any], tags: list[str] | None = None
) -> Page:
    """Create or update the translation of a course, module or lesson page and publish it.

    The translation keeps the source's place in the tree (its parent must be translated first) and
    gets the translated fields; nothing is written when it already has them.
    """
    locale = Locale.objects.get(language_code=language_code)
    translation = source.get_translation_or_none(locale)
    if translation is None:
        translation = source.copy_for_translation(locale)
    translation = translation.specific
    changed = _differs(translation, fields) or not translation.live or translation.has_unpublished_changes
    if tags is not None and sorted(translation.tags.names()) != sorted(tags):
        translation.tags.set(tags)
        changed = True
    if changed:
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.draft_title = translation.title
        translation.save_revision().publish()
    return translation


@transaction.atomic
def catalog_translation_ensure(
    *, catalog: CourseIndexPage, language_code: str, title: str
) -> CourseIndexPage:
    """The catalog in another language, below that language's home page, live under `title`."""
    locale = Locale.objects.get(language_code=language_code)
    translation = catalog.get_translation_or_none(locale)
    if translation is None:
        translation = catalog.copy_for_translation(locale)
    translation = translation.specific
    if translation.title != title or not translation.live or translation.has_unpublished_changes:
        translation.title = translation.draft_title = title
        translation.save_revision().publish()
    return translation


@transaction.atomic
def course_review_require(*, course: CoursePage) -> WorkflowPage:
    """Make changes to this course go through the "Review by lead trainer" workflow."""
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW_NAME)
    assignment, _ = WorkflowPage.objects.update_or_create(page=course, defaults={"workflow": workflow})
    return assignment


@transaction.atomic
def help_line_upsert(
    *, country: str, organisation: str, phone: str, hours: str, languages: str, sort_order: int = 0
) -> HelpLine:
    """Create or refresh a help line, keyed by country, organisation and phone number."""
    line, _ = HelpLine.objects.update_or_create(
        country=country.upper(),
        organisation=organisation,
        phone=phone,
        defaults={"hours": hours, "languages": languages, "sort_order": sort_order},
    )
    return line
