"""Writes for translation: English versions of course pages with wagtail-localize, the catalog's
translation and its permissions, and the signal handlers that keep translated pages in step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from wagtail.models import Locale, Page

from courses.authoring.models import CourseIndexPage, CoursePage, ModulePage
from courses.authoring.services import page_fields_differ


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
    changed = (
        page_fields_differ(translation, fields) or not translation.live or translation.has_unpublished_changes
    )
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


# Page bookkeeping that changes without the content changing (children added, publishing).
_BOOKKEEPING = {
    "numchild",
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "last_published_at",
    "first_published_at",
    "has_unpublished_changes",
    "draft_title",
    "live",
}


def _content_of(content_json: str) -> dict[str, Any]:
    return {key: value for key, value in json.loads(content_json).items() if key not in _BOOKKEEPING}


@transaction.atomic
def page_translation_sync(
    *, source: Page, language_code: str, translate: Callable[[str], str | None], user: Any = None
) -> Page:
    """Translate a course, module, lesson or quiz page with wagtail-localize, as the admin's
    "Translate" action does, and publish the translation when anything changed.

    Records the source's strings, stores `translate(text)` for each string it can translate (the
    others keep the source text), and saves the target through wagtail-localize: the translation
    keeps the source's place in the tree, its block ids and everything that is not text (settings,
    answer keys, images). Running it again with the same content writes nothing.
    """
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    source = Page.objects.get(pk=source.pk).specific  # as stored, so an unchanged page compares equal
    locale = Locale.objects.get(language_code=language_code)
    record = TranslationSource.objects.filter(
        object_id=source.translation_key, locale_id=source.locale_id
    ).first()
    changed = record is None or _content_of(record.content_json) != _content_of(source.to_json())
    if changed:
        record, _created = TranslationSource.update_or_create_from_instance(source)
    for segment in record.stringsegment_set.select_related("string", "context"):
        text = translate(segment.string.data)
        if text is None:
            continue
        existing = StringTranslation.objects.filter(
            translation_of=segment.string, locale=locale, context=segment.context
        ).first()
        if existing is not None and existing.data == text:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
        changed = True
    translation, created = Translation.objects.get_or_create(
        source=record, target_locale=locale, defaults={"enabled": True}
    )
    if not translation.enabled:
        translation.enabled = True
        translation.save(update_fields=["enabled"])
        changed = True
    target = source.get_translation_or_none(locale)
    if created or target is None or not target.live or target.has_unpublished_changes:
        changed = True
    if changed:
        # Published here and now rather than when the transaction commits (as `save_target` does),
        # so pages translated after this one in the same transaction are not counted out of the tree.
        record.create_or_update_translation(
            locale, user=user, publish=False, fallback=True, copy_parent_pages=True
        )
        source.get_translation(locale).get_latest_revision().publish(user=user)
    return source.get_translation(locale).specific


def catalog_translation_permissions_sync() -> None:
    """Give every translation of the catalog the group page permissions and the review workflow of
    the Thai catalog, so trainers can edit the translations they start and submit them for review
    (wagtail-localize may create the catalog's translation itself, as the parent of the first
    course translated)."""
    import importlib

    from django.apps import apps

    importlib.import_module("courses.migrations.0006_translation_permissions").grant_translation_permissions(
        apps
    )
    importlib.import_module("courses.migrations.0015_course_review_workflow").assign_review_to_catalogs(apps)


def on_page_published(*, instance: Any, **kwargs: Any) -> None:
    """Receiver of Wagtail's `page_published`: keep the published page's count of children true.

    A revision saved before children were added (wagtail-localize saves a translation's revision,
    then adds its translated children, and publishes when the transaction commits) carries the old
    count, and publishing it would hide those children from the tree.
    """
    if isinstance(instance, CourseIndexPage | CoursePage | ModulePage):
        count = Page.objects.filter(path__startswith=instance.path, depth=instance.depth + 1).count()
        if count != instance.numchild:
            Page.objects.filter(pk=instance.pk).update(numchild=count)
            instance.numchild = count


def on_copy_for_translation(*, target_obj: Any, **kwargs: Any) -> None:
    """Receiver of Wagtail's `copy_for_translation_done`: a new catalog translation (made for this
    page or as one of its parents) gets its rights at once."""
    if isinstance(target_obj, Page):
        catalog_translation_permissions_sync()
