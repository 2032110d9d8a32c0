"""Serving lesson videos so phones can seek: HTTP range requests locally, the storage URL on S3."""

import re

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from courses.authoring.blocks import CAPTION_EXTENSIONS, VIDEO_EXTENSIONS

RANGE_PATTERN = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 64 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The first byte range of a `Range` header as (start, end) inclusive, or None if unsatisfiable.

    Only a single range is honoured; browsers ask for one when seeking media.
    """
    match = RANGE_PATTERN.match(header.split(",")[0].strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return None
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


def _read_range(handle, start: int, end: int):
    handle.seek(start)
    remaining = end - start + 1
    try:
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file_response(request: HttpRequest, *, file, content_type: str) -> HttpResponseBase:
    """The whole file (200) or the requested byte range (206); 416 for a range beyond the end."""
    size = file.size
    header = request.headers.get("Range", "")
    if not header:
        response = FileResponse(file.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        byte_range = parse_range(header, size)
        if byte_range is None:
            response = HttpResponse(
                _("The requested range is not available in this file."),
                status=416,
                content_type="text/plain; charset=utf-8",
            )
            response["Content-Range"] = f"bytes */{size}"
            return response
        start, end = byte_range
        response = StreamingHttpResponse(
            _read_range(file.open("rb"), start, end), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    # As Wagtail does for documents: a file opened directly can never run scripts on our origin.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def has_local_path(file) -> bool:
    try:
        file.path  # noqa: B018 (remote storages raise NotImplementedError)
    except NotImplementedError:
        return False
    return True


def is_lesson_media(document) -> bool:
    return document.file_extension.lower() in VIDEO_EXTENSIONS | CAPTION_EXTENSIONS


def serve_lesson_media(document, request: HttpRequest) -> HttpResponseBase:
    """Serve a video or captions document for the `<video>` element.

    Videos on remote storage redirect to the storage URL, which answers range requests itself;
    captions are small and stay same-origin, because browsers refuse cross-origin tracks.
    """
    if document.file_extension.lower() in CAPTION_EXTENSIONS:
        return ranged_file_response(request, file=document.file, content_type="text/vtt; charset=utf-8")
    if not has_local_path(document.file):
        return HttpResponseRedirect(document.file.url)
    return ranged_file_response(request, file=document.file, content_type=document.content_type)
