"""What a phone downloads to read a course offline, and how big it is (issue 24).

The installable app (training/pwa.py, static/js/app.js, the service worker) saves a course into
the phone's Cache Storage: its pages, the one image of each `<picture>` that suits the phone's
screen, and, when the reader asks, its documents and videos. This endpoint tells it what to fetch
and how many bytes that is before it starts, and names the state of the course with a `version`
that changes when anything it lists does, so the app knows when a saved course is out of date.

Page sizes and the pictures on them are read from the pages themselves, rendered as this reader
gets them (so the list agrees with what the browser will ask for, renditions included: the
`{% picture %}` tag generates the ones missing). Rendering is kept per content version, course and
language (`kept_for_reader`): a course is rendered once per process after each change to the
content, not on every request. It has no side effects: the pages render on a copy of the request
with no messages to consume, its own headers and no query string, and a quiz page, whose view
closes an overdue attempt when it shows it, renders in a transaction that is rolled back.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.http import Http404, HttpRequest, JsonResponse, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from courses.authoring.models import CoursePage, LessonPage
from courses.learning.outlines import CourseOutline, course_learning_outline
from courses.learning.views import visible_page
from training.content_version import content_cache, kept_for_reader, request_version
from training.pwa import service_worker_config

logger = logging.getLogger(__name__)

DEFAULT_WIDTH = 800
MAX_WIDTH = 4000
WIDTH_PATTERN = re.compile(r"^[+-]?[0-9]{1,12}$")  # ASCII digits only: int() takes others
# The format saved for every picture: every browser that runs the app reads WebP, and it is
# smaller than the JPEG fallback. AVIF is smaller still, but slow to decode on older phones.
SAVED_TYPE = "image/webp"
# Kinds of page whose view writes when it shows a page (a quiz closes an overdue attempt): they
# render in a transaction that is rolled back.
WRITING_KINDS = {"quiz"}


class BadWidth(ValueError):
    """The `width` parameter is not a whole number."""


def offline_width(raw: str | None) -> int:
    """The phone's screen width in device pixels from the query (800 when absent), within 1..4000."""
    if raw is None or raw.strip() == "":
        return DEFAULT_WIDTH
    raw = raw.strip()
    if not WIDTH_PATTERN.match(raw):
        raise BadWidth(raw)
    return min(max(int(raw), 1), MAX_WIDTH)


# --- Reading pictures off a rendered page ------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One file a `<picture>` offers: its URL, its width descriptor (None without one), its type."""

    url: str
    width: int | None
    type: str


@dataclass(frozen=True)
class Picture:
    """A `<picture>` element: every file it offers, in the order the page lists them."""

    candidates: tuple[Candidate, ...]

    @property
    def urls(self) -> list[str]:
        return list(dict.fromkeys(candidate.url for candidate in self.candidates))

    def chosen(self, width: int) -> str | None:
        """The file saved for a screen `width` pixels wide: of the WebP files, the narrowest at least
        that wide, else the widest; the fallback image's files when it offers no WebP."""
        for wanted in (SAVED_TYPE, None):
            found = [c for c in self.candidates if wanted is None or c.type == wanted]
            described = sorted((c for c in found if c.width is not None), key=lambda c: c.width)
            if described:
                wide_enough = [c for c in described if c.width >= width]
                return (wide_enough[0] if wide_enough else described[-1]).url
            if found:
                return found[0].url
        return None


def _srcset(value: str) -> list[tuple[str, int | None]]:
    """The (URL, width) pairs of a srcset ("a.webp 400w, b.webp 800w"); width None without `w`."""
    pairs = []
    for entry in value.split(","):
        parts = entry.split()
        if not parts:
            continue
        width = None
        if len(parts) > 1 and parts[1].endswith("w") and parts[1][:-1].isdigit():
            width = int(parts[1][:-1])
        pairs.append((parts[0], width))
    return pairs


def _type_of(url: str) -> str:
    return mimetypes.guess_type(url.split("?", 1)[0])[0] or ""


class _PictureParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pictures: list[Picture] = []
        self._open: list[Candidate] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "picture":
            self._open = []
        elif self._open is not None and tag in ("source", "img"):
            for url, width in _srcset(attributes.get("srcset") or ""):
                self._open.append(Candidate(url, width, attributes.get("type") or _type_of(url)))
            if tag == "img" and attributes.get("src"):
                src = attributes["src"]
                self._open.append(Candidate(src, None, _type_of(src)))

    def handle_endtag(self, tag):
        if tag == "picture" and self._open is not None:
            if self._open:
                self.pictures.append(Picture(tuple(self._open)))
            self._open = None


def page_pictures(html: str) -> list[Picture]:
    """The `<picture>` elements of a page, in page order."""
    parser = _PictureParser()
    parser.feed(html)
    parser.close()
    return parser.pictures


# --- Rendering the pages as the reader gets them -----------------------------------------------


class _NoMessages(BaseStorage):
    """A message storage with nothing in it: a page rendered for its size consumes none of the
    reader's messages, which the next page they open must still show."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def _rendered(request: HttpRequest, url: str, kind: str) -> str | None:
    """The HTML of the page at `url` as the reader gets it, or None when they would get no page
    (a redirect, a refusal). Rendered on a copy of the request: no messages, its own headers (a
    CSRF token made for the page stays on the copy), the page's address and no query string."""
    try:
        match = resolve(url)
    except Resolver404:
        return None
    reading = copy.copy(request)
    reading.META = {**request.META, "PATH_INFO": url, "QUERY_STRING": "", "REQUEST_METHOD": "GET"}
    reading.method = "GET"
    reading.path = reading.path_info = url
    reading.GET = QueryDict()
    reading.resolver_match = match
    reading._messages = _NoMessages(reading)
    for kept in ("_wagtail_route_for_request", "_untranslated_links", "_default_locale_id"):
        reading.__dict__.pop(kept, None)
    try:
        if kind in WRITING_KINDS:
            with transaction.atomic():
                response = _served(reading, match)
                transaction.set_rollback(True)
        else:
            response = _served(reading, match)
    except Http404:
        return None
    if response.status_code != 200:
        return None
    return response.content.decode(response.charset or "utf-8")


def _served(request: HttpRequest, match) -> Any:
    response = match.func(request, *match.args, **match.kwargs)
    if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
        response.render()
    return response


# --- What a course is made of, kept per content version ----------------------------------------


@dataclass(frozen=True)
class FileLink:
    """A document a page's blocks link to: a video, its captions, or a download."""

    document_id: int
    kind: str  # "video", "captions" (of the video before it) or "document"
    title: str  # the block's title; empty: the document's own
    player: bool  # linked for the <video> element (the lesson media view), not as a download


@dataclass(frozen=True)
class CapturedPage:
    id: int
    url: str
    title: str
    kind: str
    sensitive: bool
    bytes: int
    published: str  # when it was last published: a new publication changes the course's version
    pictures: tuple[Picture, ...]
    files: tuple[FileLink, ...]


@dataclass(frozen=True)
class CapturedCourse:
    pages: tuple[CapturedPage, ...]


def _listed(outline: CourseOutline, course: CoursePage) -> list[tuple[int, str, str, str]]:
    """(page id, address, title, kind) of the course page, then of its modules and items in order."""
    listed = [(course.pk, outline.url, course.title, "course")]
    for module in outline.modules:
        listed.append((module.page.pk, module.page.url, module.page.title, "module"))
        listed.extend((item.page.pk, item.page.url, item.page.title, item.kind) for item in module.items)
    return listed


def _file_links(page: Page) -> list[FileLink]:
    """The documents a lesson's blocks link to, read from the stored blocks (no query)."""
    if not isinstance(page, LessonPage):
        return []
    links = []
    for block in page.body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "video":
            if value.get("video"):
                links.append(FileLink(int(value["video"]), "video", value.get("title") or "", True))
            if value.get("captions"):
                links.append(FileLink(int(value["captions"]), "captions", "", True))
        elif block.get("type") == "download" and value.get("document"):
            links.append(FileLink(int(value["document"]), "document", value.get("title") or "", False))
    return links


def _capture(request: HttpRequest, outline: CourseOutline, course: CoursePage) -> CapturedCourse:
    listed = _listed(outline, course)
    pages = {page.pk: page for page in Page.objects.filter(pk__in=[pk for pk, *_rest in listed]).specific()}
    captured = []
    for pk, url, title, kind in listed:
        page = pages.get(pk)
        html = _rendered(request, url, kind) if page is not None and url else None
        if html is None:
            continue
        captured.append(
            CapturedPage(
                id=pk,
                url=url,
                title=title,
                kind=kind,
                sensitive=bool(getattr(page, "is_sensitive", False)),
                bytes=len(html.encode()),
                published=page.last_published_at.isoformat() if page.last_published_at else "",
                pictures=tuple(page_pictures(html)),
                files=tuple(_file_links(page)),
            )
        )
    return CapturedCourse(pages=tuple(captured))


# --- The answer --------------------------------------------------------------------------------


def _media_name(url: str) -> str | None:
    """The storage name of a public media file from its URL (None: not a file of that storage)."""
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage
    prefix = storage.url("x")[:-1]
    if not url.startswith(prefix) or "?" in url:
        return None
    return unquote(url[len(prefix) :]) or None


def _file_bytes(version: str | None, url: str) -> int | None:
    """The size of the file at a public media URL, kept per content version (a rendition's file
    never changes); None when it is missing or the storage does not answer."""
    name = _media_name(url)
    if name is None:
        return None
    storage = get_image_model().get_rendition_model()._meta.get_field("file").storage

    def size() -> int | None:
        try:
            return int(storage.size(name))
        except (OSError, NotImplementedError, ValueError, SuspiciousFileOperation):
            logger.warning("Offline course: no file for the picture %s", url)
            return None

    return content_cache.get_or_build(version, ("offline media bytes", url), size)


def _images(captured: CapturedCourse, width: int, version: str | None) -> list[dict]:
    """One saved file per picture, the same file listed once (on the first page that is not
    sensitive to show it, else the first page), with every other file its pictures offer."""
    images: dict[str, dict] = {}
    for page in captured.pages:
        for picture in page.pictures:
            url = picture.chosen(width)
            size = _file_bytes(version, url) if url is not None else None
            if size is None:
                continue
            alternates = [other for other in picture.urls if other != url]
            entry = images.get(url)
            if entry is None:
                images[url] = {
                    "url": url,
                    "bytes": size,
                    "page": page.id,
                    "alternates": alternates,
                    "sensitive": page.sensitive,
                }
                continue
            entry["alternates"] = list(dict.fromkeys([*entry["alternates"], *alternates]))
            if entry["sensitive"] and not page.sensitive:
                entry["page"], entry["sensitive"] = page.id, False
    return list(images.values())


def _files(captured: CapturedCourse) -> tuple[list[dict], list[dict]]:
    """The course's documents and videos (each file once, on the first page linking it), with
    their sizes: read afresh, since replacing a document's file changes no page. A video's captions
    come with it, never offered alone."""
    links = [(page.id, link) for page in captured.pages for link in page.files]
    documents = get_document_model().objects.in_bulk({link.document_id for _page, link in links})
    found: dict[str, list[dict]] = {"video": [], "document": []}
    seen = set()
    video = None  # the entry of the video the next captions belong to
    for page_id, link in links:
        document = documents.get(link.document_id)
        if link.kind != "captions":
            video = None
        if document is None:
            continue
        if link.player:
            url = reverse("courses:lesson_media", args=[document.pk, document.filename])
        else:
            url = document.url
        if url in seen:
            continue
        seen.add(url)
        entry = {"url": url, "bytes": document.get_file_size() or 0}
        if link.kind == "captions":
            if video is not None:
                video["captions"].append(entry)
            continue
        entry |= {"title": link.title or document.title, "page": page_id}
        if link.kind == "video":
            video = entry | {"captions": []}
            entry = video
        found[link.kind].append(entry)
    return found["document"], found["video"]


def _version(
    course: CoursePage, captured: CapturedCourse, images: list, documents: list, videos: list
) -> str:
    """Changes when a page of the course is published, unpublished or moved (its address, its
    publication date, the list itself), when the files chosen change, and when a deploy changes the
    app's shell (saved pages name the shell's static files)."""
    state = [
        service_worker_config()["version"],
        course.pk,
        get_language(),
        [(page.id, page.url, page.kind, page.title, page.published) for page in captured.pages],
        [(image["url"], image["bytes"]) for image in images],
        [(file["url"], file["bytes"]) for file in (*documents, *videos)],
        [(file["url"], file["bytes"]) for video in videos for file in video["captions"]],
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:20]


def offline_course(*, request: HttpRequest, outline: CourseOutline, course: CoursePage, width: int) -> dict:
    """What a phone saves of `course` (the page in the reader's language) for this reader."""
    captured = kept_for_reader(
        request, ("offline course", course.pk), lambda: _capture(request, outline, course)
    )
    version = request_version(request)
    images = _images(captured, width, version)
    documents, videos = _files(captured)
    sensitive_pages = {page.id for page in captured.pages if page.sensitive}
    page_bytes = sum(page.bytes for page in captured.pages if page.id not in sensitive_pages)
    sensitive_bytes = sum(page.bytes for page in captured.pages if page.id in sensitive_pages)
    for image in images:
        if image.pop("sensitive"):
            sensitive_bytes += image["bytes"]
        else:
            page_bytes += image["bytes"]
    return {
        "course": course.pk,
        "title": course.title,
        "url": outline.url,
        "version": _version(course, captured, images, documents, videos),
        "pages": [
            {
                "id": page.id,
                "url": page.url,
                "title": page.title,
                "kind": page.kind,
                "sensitive": page.sensitive,
                "bytes": page.bytes,
            }
            for page in captured.pages
        ],
        "images": images,
        "documents": documents,
        "videos": videos,
        "bytes": page_bytes,
        "sensitive_bytes": sensitive_bytes,
    }


def _shown_course(course: CoursePage) -> CoursePage:
    """The course in the reader's language when it is translated and live, else as found."""
    translated = CoursePage.objects.filter(
        translation_key=course.translation_key, locale__language_code=get_language(), live=True
    ).first()
    return translated or course


def _answer(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def course_offline(request: HttpRequest, course_id: int) -> JsonResponse:
    """GET /learn/courses/<id>/offline/?width=<screen width>: the JSON the app saves a course by."""
    if not request.user.is_authenticated:
        return _answer({"message": _("Sign in to save courses on this phone.")}, status=401)
    try:
        course = _shown_course(visible_page(CoursePage, course_id, request))
    except Http404:
        return _answer({"message": _("This page does not exist or is not published.")}, status=404)
    outline = course_learning_outline(user=request.user, course=course, request=request)
    if not outline.is_enrolled:
        return _answer({"message": _("Enrol in the course to save it on this phone.")}, status=403)
    try:
        width = offline_width(request.GET.get("width"))
    except BadWidth:
        return _answer(
            {"message": _("The screen width must be a whole number of pixels, such as 1170.")}, status=400
        )
    return _answer(offline_course(request=request, outline=outline, course=course, width=width))
