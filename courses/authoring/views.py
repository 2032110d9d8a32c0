"""Lesson media: videos and captions served so that phones can seek (HTTP range requests)."""

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents import get_document_model

from courses.authoring.media import is_lesson_media, serve_lesson_media


@require_safe
def lesson_media(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponseBase:
    document = get_object_or_404(get_document_model(), id=document_id)
    if document.filename != document_filename or not is_lesson_media(document):
        raise Http404(_("This file is not a lesson video or captions file."))
    # Wagtail's own checks (collection privacy restrictions) apply here as on /documents/.
    for check in hooks.get_hooks("before_serve_document"):
        result = check(document, request)
        if isinstance(result, HttpResponseBase):
            return result
    return serve_lesson_media(document, request)
