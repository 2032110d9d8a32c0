"""The English demo courses made with wagtail-localize, as a trainer would make them in the admin.

The English of the demo packages (courses/demo/courses.py) follows the Thai source
block by block; it is paired with the Thai source string by string (same fields, same block ids)
and stored as wagtail-localize string translations, so the admin's translation editor shows the
demo with real content and later edits to the Thai source can be synced into English.
"""

from __future__ import annotations

from typing import Any

from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from courses.translation.services import course_content_translate, page_translation_sync


def _with_source_ids(source: Any, english: Any) -> Any:
    """`english` stream data with the block ids of `source` (same structure, position by position)."""
    if isinstance(source, dict) and "id" in source and "value" in source and not isinstance(english, dict):
        # A list item stored with an id in Thai but given as a bare value in English.
        return {"type": source.get("type", "item"), "id": source["id"], "value": english}
    if isinstance(source, dict) and isinstance(english, dict):
        aligned = {key: _with_source_ids(source.get(key), value) for key, value in english.items()}
        if "id" in source and "id" in english:
            aligned["id"] = source["id"]
        return aligned
    if isinstance(source, list) and isinstance(english, list):
        return [
            _with_source_ids(source[index], item) if index < len(source) else item
            for index, item in enumerate(english)
        ]
    return english


def english_strings(source: Page, fields: dict[str, Any]) -> dict[str, str]:
    """Each Thai string of `source` paired with the English string at the same place in `fields`.

    Places whose number of strings differs between the languages are left out (they keep the Thai
    text until someone translates them in the admin).
    """
    source = source.specific
    shadow = type(source).objects.get(pk=source.pk)  # never saved: only read for its strings
    for name, value in fields.items():
        field = source._meta.get_field(name)
        if isinstance(field, StreamField):
            block = field.stream_block
            english = block.get_prep_value(block.to_python(value))
            value = _with_source_ids(list(getattr(source, name).raw_data), english)
        setattr(shadow, name, value)

    def by_path(page: Page) -> dict[str, list[str]]:
        strings: dict[str, list[str]] = {}
        for segment in extract_segments(page):
            if isinstance(segment, StringSegmentValue):
                strings.setdefault(segment.path, []).append(segment.string.data)
        return strings

    thai, english = by_path(source), by_path(shadow)
    pairs: dict[str, str] = {}
    for path, texts in thai.items():
        translated = english.get(path, [])
        if len(translated) == len(texts):
            pairs.update(zip(texts, translated, strict=True))
    return pairs


def page_translate_demo(
    *, source: Page, fields: dict[str, Any], tags: list[str] | None = None, language_code: str = "en"
) -> Page:
    """Translate a demo page with wagtail-localize from its English fields; topics (tags) are kept
    per language, so the English course gets its English topics after the sync."""
    pairs = english_strings(source, fields)
    translation = page_translation_sync(source=source, language_code=language_code, translate=pairs.get)
    if tags is not None:
        translation = course_content_translate(
            source=source, language_code=language_code, fields={}, tags=tags
        )
    return translation
