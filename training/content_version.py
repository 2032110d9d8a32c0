"""Values derived from the site's content, kept in the process for as long as the content is unchanged.

A course's outline, a page's address in the other language: they change only when pages, view
restrictions, sites or locales do. `ContentVersion` names the current state of those with a token
that changes in the same transaction as any of them; `content_cache` keeps values under it. A
request reads the token once (alone, or along with rows it reads anyway) and finds the values built
for that state, or builds them.

So no process serves a value built from an older state, whatever cache backend is configured, and
a deploy (new processes) starts afresh: a changed template never meets values rendered by the old
one. The price is one small read per request and a build per process after each change.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.translation import get_language
from wagtail.models import Page, Site

from training.precompiled import Precompiled

if TYPE_CHECKING:
    from django.http import HttpRequest

T = TypeVar("T")


class ContentCache:
    """The values this process built for the current content version, least recently used first.

    Bounded: a catalog of a few hundred courses in two languages fits many times over; beyond the
    bound the least recently used values are built again when next needed.
    """

    MAX_ENTRIES = 4096

    def __init__(self):
        self._lock = threading.Lock()
        self._version: str | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, version: str | None, key: Hashable) -> Any | None:
        if version is None:
            return None
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, version: str | None, key: Hashable, value: Any) -> None:
        if version is None:
            return
        with self._lock:
            if version != self._version:
                return  # built for a state this process no longer serves, or not yet
            self._entries[key] = value
            while len(self._entries) > self.MAX_ENTRIES:
                self._entries.popitem(last=False)

    def get_or_build(self, version: str | None, key: Hashable, build: Callable[[], T]) -> T:
        value = self.get(version, key)
        if value is None:
            value = build()
            self.put(version, key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._version = None


content_cache = ContentCache()


def remember_version(request: HttpRequest | None, version: str | None) -> None:
    """Note the version read along with other rows, so the rest of the request needs no query."""
    if request is not None:
        request._content_version = version


def version_known(request: HttpRequest) -> bool:
    """Whether this request has read its content version already (no query to ask again)."""
    return hasattr(request, "_content_version")


def request_version(request: HttpRequest | None) -> str | None:
    """The content version this request works with: read once per request."""
    if request is not None and hasattr(request, "_content_version"):
        return request._content_version
    version = current_token.value()
    remember_version(request, version)
    return version


def _current_token_query():
    from training.models import ContentVersion

    return ContentVersion.objects.filter(pk=1).values_list("token", flat=True).order_by("pk")[:1]


current_token = Precompiled(_current_token_query)  # read on every request: compiled once


def reader_key(request: HttpRequest | None, *parts: Hashable) -> tuple:
    """A content cache key for a value built for this request's reader: `parts`, then the active
    language and the request's site, which addresses and labels depend on."""
    return (*parts, get_language(), _site_pk(request) if request is not None else None)


def _site_pk(request: HttpRequest) -> int | None:
    site = getattr(request, "_wagtail_site", None)  # found already, by Wagtail or kept_site_and_root
    if site is None:
        found = kept_site_and_root(request)
        site = found[0] if found is not None else None
    return site.pk if site is not None else None


def _site_and_root(request: HttpRequest) -> tuple[Site, Page] | None:
    site = Site.find_for_request(request)
    if site is None or site.root_page is None:
        return None
    return site, site.root_page.specific


def kept_site_and_root(request: HttpRequest) -> tuple[Site, Page] | None:
    """The request's Wagtail site and its root page, kept per content version by host and port
    (Wagtail looks the site up with a query on every request, though it changes only with the
    content). The request gets its own copies, and the site is left where Wagtail keeps it for the
    request (`_wagtail_site`), so page URLs built later need no query either."""
    found = content_cache.get_or_build(
        request_version(request),
        ("site", request.get_host(), request.get_port()),
        lambda: _site_and_root(request),
    )
    if found is None:
        return None
    site, root = copy.copy(found[0]), found[1]
    site.root_page = copy.copy(root)
    request._wagtail_site = site
    return site, root


def kept_for_reader(request: HttpRequest, parts: tuple, build: Callable[[], T]) -> T:
    """A value built from the content for this request's reader, kept per content version. A
    preview shows the page being edited, not the saved content, so it builds the value afresh."""
    if getattr(request, "is_preview", False):
        return build()
    return content_cache.get_or_build(request_version(request), reader_key(request, *parts), build)


def _content_changed(sender, **kwargs) -> None:
    from training.models import ContentVersion

    ContentVersion.change()


def connect() -> None:
    """Change the version whenever a page, view restriction, site, locale or image is saved or
    deleted (a page's publish, unpublish and move save it too; pages kept for routing carry their
    cover image), and whenever an image rendition is deleted (pages keep `{% kept %}` HTML naming
    rendition files; making one changes nothing shown, so only deletes count). Connected per model,
    so deletes elsewhere keep Django's fast path."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models

    for model in {Page, PageViewRestriction, Site, Locale, get_image_model(), *get_page_models()}:
        for signal in (post_save, post_delete):
            uid = f"content_version_{model._meta.label}"
            signal.connect(_content_changed, sender=model, dispatch_uid=uid)
    rendition = get_image_model().get_rendition_model()
    uid = f"content_version_{rendition._meta.label}"
    post_delete.connect(_content_changed, sender=rendition, dispatch_uid=uid)
