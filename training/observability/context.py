"""Each request's id and its person's id, for whatever is logged or reported while it is served.

The id is the trusted proxy's `X-Request-ID` when it sent a well-formed one (so the proxy's access
log and the site's lines share it), otherwise a new one; the response carries it back in the same
header, so a person reporting a problem can quote it. From anyone but a trusted proxy the header is
ignored: a client cannot write its own text into the logs.
"""

import contextvars
import re
import time
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from training.proxies import is_trusted

HEADER = "X-Request-ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,128}")

_request = contextvars.ContextVar("observed_request", default=None)


def current_request():
    return _request.get()


def request_id() -> str | None:
    request = _request.get()
    return getattr(request, "request_id", None)


def user_id() -> int | None:
    """The signed-in person's id, if this request has already looked them up (a log line never
    costs a query, and never runs one from inside a failing database call)."""
    user = getattr(_request.get(), "user", None)
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def chosen_id(request) -> str:
    offered = request.headers.get(HEADER, "")
    if WELL_FORMED.fullmatch(offered) and is_trusted(request.META.get("REMOTE_ADDR", "")):
        return offered
    return uuid.uuid4().hex


class RequestContextMiddleware:
    """First of all middleware: gives the request its id, keeps it current while the request is
    served (in the thread or task that serves it), and tells the observers (the request's log line,
    the metrics) how it went."""

    def __init__(self, get_response):
        self.get_response = get_response
        from training.observability import logs, metrics

        self.observers = []
        if settings.LOG_REQUESTS:
            self.observers.append(logs.log_request)
        if metrics.enabled():
            self.observers.append(metrics.observe)

    def __call__(self, request):
        request.request_id = chosen_id(request)
        # Kept until the response is closed (`forget`): Django logs a 4xx ("Not Found") after the
        # last middleware has returned.
        _request.set(request)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        if self.observers:
            method, view = request_method(request), view_name(request)
            for observer in self.observers:
                observer(method, view, response.status_code, seconds)
        response[HEADER] = request.request_id
        return response


@receiver(request_finished)
def forget(**kwargs) -> None:
    """The served request is over: what this thread logs next is not part of it."""
    _request.set(None)


def view_name(request) -> str:
    """The URL's name (or the view's dotted path), never the address itself: few enough values for a
    metric's label, and no key, code or search term a URL may carry."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match._func_path


METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_method(request) -> str:
    """The request's method, or "OTHER": a client chooses it, so it is not written as sent."""
    return request.method if request.method in METHODS else "OTHER"
