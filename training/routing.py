"""Routing to deep pages in one lookup instead of two queries per level of the page tree.

Stock Wagtail routing walks the tree one child at a time. A site root with this mixin finds a page
two or more levels below it by its URL path. The page found is kept in the process for the content
version (training.content_version), and each request gets its own copy. Without a version (a
database without its row) it is found by a lookup remembered in the cache as page id and type and
checked against the database on every use, so a stale entry can never serve the wrong page. A page
model may define `route_queryset()` to load what it needs (related rows, annotations) in that same
query.
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models import Page

from training.content_version import content_cache, request_version

ROUTE_CACHE_SECONDS = 3600
MAX_COMPONENT_LENGTH = 255


def _cache_key(root: Page, url_path: str) -> str:
    return f"route:{root.pk}:{url_path}"


def _lookup(root: Page, url_path: str) -> tuple[int, int] | None:
    row = (
        Page.objects.filter(url_path=url_path, path__startswith=root.path, depth__gt=root.depth)
        .values_list("pk", "content_type_id")
        .first()
    )
    return (row[0], row[1]) if row else None


def _fetch(row: tuple[int, int], url_path: str) -> Page | None:
    model = ContentType.objects.get_for_id(row[1]).model_class()
    if model is None or not issubclass(model, Page):
        return None
    queryset = model.route_queryset() if hasattr(model, "route_queryset") else model.objects.all()
    return queryset.filter(pk=row[0], url_path=url_path).first()


def page_for_url_path(*, root: Page, path_components: list[str], version: str | None = None) -> Page | None:
    """The page at these path components below `root`, or None; kept for `version` when given."""
    if any(len(part) > MAX_COMPONENT_LENGTH for part in path_components):
        return None
    url_path = root.url_path + "/".join(path_components) + "/"
    if version is not None:
        key = ("route", root.pk, url_path)
        page = content_cache.get_or_build(version, key, lambda: _find(root, url_path))
        return copy.copy(page) if page is not None else None
    return _find(root, url_path)


def _find(root: Page, url_path: str) -> Page | None:
    key = _cache_key(root, url_path)
    cached = cache.get(key)
    if cached is not None:
        page = _fetch(cached, url_path)
        if page is not None:
            return page
        cache.delete(key)
    row = _lookup(root, url_path)
    if row is None:
        return None
    cache.set(key, row, ROUTE_CACHE_SECONDS)
    return _fetch(row, url_path)


class DirectRoutingMixin:
    """For a site root: deep pages are found in one lookup; anything else routes as usual."""

    def route(self, request, path_components):
        if len(path_components) >= 2:
            page = page_for_url_path(
                root=self, path_components=path_components, version=request_version(request)
            )
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)
