"""What a request may carry before any view reads it: a size that depends on who sends it, no file
parts from people who cannot upload anything, and no NUL character in any text.

Only people who may use the Wagtail admin upload files (documents up to
`WAGTAILDOCS_MAX_UPLOAD_SIZE`, images, CSV imports); every form volunteers and visitors fill in is
a few kilobytes. So a body larger than `PUBLIC_REQUEST_MAX_BYTES` from anyone else is refused with
413 before it is read, and the file parts of their multipart bodies are dropped as they stream in,
never stored in memory or on disk. The proxy in front refuses anything larger than the admin's limit
(docs/operations.md gives the setting).

PostgreSQL cannot store a NUL character in text and answers a query that holds one with an error,
so a NUL in the path, a query parameter or a form field is refused with a translated 400 here, on
both databases alike, instead of a 500 wherever it reaches a query.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from training.middleware import ADMIN_SESSION_FLAG

MEGABYTE = 1024 * 1024
# As large as what Django keeps in memory, so nothing a visitor sends is ever spooled to disk.
PUBLIC_REQUEST_MAX_BYTES = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
# The largest document plus room for the form's other fields and the multipart framing.
ADMIN_REQUEST_MAX_BYTES = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE + 5 * MEGABYTE
NUL = "\x00"


def _refusal(request, status: int, reason: str) -> HttpResponse:
    response = HttpResponse(
        loader.render_to_string("400.html", {"reason": reason}, request=request), status=status
    )
    add_never_cache_headers(response)
    return response


@dataclass(frozen=True)
class UploadPlace:
    """A page of the public site that takes files from people the session marks (`session_flag`),
    at most `max_bytes` per request; the view checks who they are and what the files are."""

    path: re.Pattern
    session_flag: str
    max_bytes: int


_upload_places: list[UploadPlace] = []


def upload_place_register(*, path_pattern: str, session_flag: str, max_bytes: int) -> None:
    """Let the sessions that carry `session_flag` upload up to `max_bytes` to paths matching
    `path_pattern` (from an app's `ready()`: the organisation leaders' certification documents)."""
    place = UploadPlace(re.compile(path_pattern), session_flag, max_bytes)
    if place not in _upload_places:
        _upload_places.append(place)


def upload_place_limit(request) -> int | None:
    """The byte limit of the upload place this request goes to, if its session may use it."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    for place in _upload_places:
        if place.path.search(request.path_info) and session.get(place.session_flag):
            return place.max_bytes
    return None


def may_upload(request) -> bool:
    """Whether the request comes from someone who may use the admin (the only place with uploads),
    as recorded in the session at sign-in: no query on the requests volunteers send."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(ADMIN_SESSION_FLAG))


class DropFilesHandler(FileUploadHandler):
    """An upload handler that drops every file part unread (the form fields are still parsed)."""

    def new_file(self, *args, **kwargs):
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """413 for a body larger than the sender may send; no file parts from people who cannot upload.

    Comes after the session middleware (it asks who sends) and before anything reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _content_length(request)
        multipart = request.content_type == "multipart/form-data"
        if length > PUBLIC_REQUEST_MAX_BYTES or multipart:
            uploader = may_upload(request)
            limit = ADMIN_REQUEST_MAX_BYTES if uploader else PUBLIC_REQUEST_MAX_BYTES
            place_limit = None if uploader else upload_place_limit(request)
            if place_limit is not None:
                uploader, limit = True, place_limit
            if length > limit:
                return _refusal(
                    request,
                    413,
                    _("What you sent is larger than this site accepts (at most %(size)d MB).")
                    % {"size": limit // MEGABYTE},
                )
            if multipart and not uploader:
                request.upload_handlers = [DropFilesHandler(request)]
        return self.get_response(request)


class RejectNulMiddleware:
    """400 for a NUL character in the path, a query parameter or a form field (names or values)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._holds_nul(request):
            return _refusal(
                request,
                400,
                _(
                    "What you sent contains a NUL character (a zero byte), which no page of this site "
                    "accepts. Remove it and try again."
                ),
            )
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request) -> bool:
        if NUL in request.path:
            return True
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        return any(
            NUL in key or any(NUL in value for value in values)
            for query in fields
            for key, values in query.lists()
        )
