"""Image renditions read from the cache are not written back to it.

Wagtail 8.0.1 marks a rendition as cached only when it came from prefetched renditions: one found by
`get_many` in the renditions cache is written back with `set_many` (`{% picture %}`, `get_renditions`),
and `get_rendition` (`{% image %}`) writes whatever it found. So every page showing an image wrote
each of its renditions to the cache on every view: with the database cache (production without
Redis) six write transactions per course page, each also counting the table to cull it; with Redis a
round trip of writes. Fixed upstream in wagtail/wagtail#14541 (commit c1c39fe, August 2026), not yet
in a release; `install()` makes the same two changes and can go once `requirements.txt` reaches a
Wagtail release with that fix (tests/courses/authoring/test_renditions.py says when).
"""

from __future__ import annotations

from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import AbstractImage, AbstractRendition, Filter

_find_existing_renditions = AbstractImage.find_existing_renditions


def find_existing_renditions(image: AbstractImage, *filters: Filter) -> dict[Filter, AbstractRendition]:
    """Wagtail's lookup (prefetched renditions, then the cache, then the database), with the
    renditions the cache held marked as coming from it."""
    if image._get_prefetched_renditions() is not None:
        return _find_existing_renditions(image, *filters)  # marks what it found as cached already
    rendition_model = image.get_rendition_model()
    by_spec = {item.spec: item for item in filters}
    keys = [
        rendition_model.construct_cache_key(image, item.get_cache_key(image), item.spec) for item in filters
    ]
    found: dict[Filter, AbstractRendition] = {}
    for rendition in rendition_model.cache_backend.get_many(keys).values():
        rendition.image = image  # so that what is set on this image (contextual alt text) holds
        rendition._from_cache = True
        found[by_spec[rendition.filter_spec]] = rendition
    missing = [item for item in filters if item not in found]
    if missing:
        # Wagtail's own lookup for the rest: the cache misses again, then the database.
        found |= _find_existing_renditions(image, *missing)
    return found


def get_rendition(image: AbstractImage, filter: Filter | str) -> AbstractRendition:
    """Wagtail's `get_rendition` as its `get_renditions` for one filter: found (prefetched, cached,
    stored) or made, and written to the cache only when it did not come from there."""
    if not isinstance(filter, str | Filter):
        raise InvalidFilterSpecError("Unrecognised filter format - string or Filter instance expected")
    [rendition] = image.get_renditions(filter).values()
    return rendition


def install() -> None:
    """Called once, when the courses app is ready."""
    AbstractImage.find_existing_renditions = find_existing_renditions
    AbstractImage.get_rendition = get_rendition
