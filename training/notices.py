"""Telling people what happened: the kinds of notification, and the one way every app sends them.

An app describes each message it sends as a `NoticeKind` and registers it from its
`AppConfig.ready()`; when the event happens, its service calls `notify(user_id, kind, context)`
with plain JSON data. The `notifications` app is the postman: it plugs its backend in with
`notice_backend_register()` from its own `ready()`, keeps the message (in-app) and mails it after
the caller's transaction commits, in the recipient's language. The apps below it never import it.

A context value may be a mapping of language code to text (``{"th": "...", "en": "..."}``): the
recipient's language is picked when the message is shown (Thai when theirs is missing).
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)

EMAIL = "email"
IN_APP = "in_app"

VOLUNTEER = "volunteer"
TRAINER = "trainer"
STAFF = "staff"


@dataclass(frozen=True)
class NoticeKind:
    """One kind of message: who receives it, its templates, whether they may turn it off, its channels.

    `templates` is a prefix: `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` make the
    email, `<prefix>_line.html` the line in the notification centre. `link` names a context key
    holding the path (or per-language paths) the notification leads to, if any. `label` names the
    kind for the person choosing what to receive (a lazy translation). `email_headers(user_id,
    context)`, if given, returns extra headers for its email (e.g. RFC 8058 List-Unsubscribe).
    """

    name: str
    role: str
    templates: str
    label: Any = ""
    optional: bool = False
    channels: tuple[str, ...] = (EMAIL, IN_APP)
    link: str = ""
    email_headers: Callable[[int, dict], dict[str, str]] | None = None


class NoticeBackend(Protocol):
    def send(self, *, user_id: int, kind: NoticeKind, context: dict, key: str) -> None: ...

    def in_quiet_window(self, *, user_id: int, at: datetime.datetime) -> bool: ...

    def next_allowed(self, *, user_id: int, at: datetime.datetime) -> datetime.datetime: ...


_kinds: dict[str, NoticeKind] = {}
_backend: NoticeBackend | None = None


def kind_register(kind: NoticeKind) -> None:
    """Register (or replace) a kind of notification; called from an app's `ready()`."""
    _kinds[kind.name] = kind


def kind_get(name: str) -> NoticeKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No notification kind {name!r} is registered.") from None


def kinds() -> list[NoticeKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)


def per_language(build: Callable[[], str]) -> dict[str, str]:
    """`build()` once in each of the site's languages, e.g. a URL with its language prefix."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[code] = str(build())
    return values


def notice_backend_register(backend: NoticeBackend) -> None:
    """Plug in what delivers notifications (the `notifications` app does, from its `ready()`)."""
    global _backend
    _backend = backend


def notify(user_id: int, kind_name: str, context: dict[str, Any] | None = None, *, key: str = "") -> None:
    """Tell the person `user_id` about an event of kind `kind_name`, after the current transaction.

    Call it inside the transaction that makes the event happen: if that rolls back, nothing is
    sent. `context` is plain JSON data (no model instances). A non-empty `key` makes the message
    happen at most once per person and kind (a job that runs twice sends one). An optional kind the
    person turned off is not sent.
    """
    kind = kind_get(kind_name)
    context = dict(context or {})
    json.dumps(context)  # plain data only: a model instance here is a mistake to catch at once
    if _backend is None:
        logger.warning("No notification backend is installed; %s is not sent.", kind_name)
        return
    _backend.send(user_id=user_id, kind=kind, context=context, key=key)


def in_quiet_window(user_id: int, at: datetime.datetime) -> bool:
    """Whether `at` falls inside the person's quiet hours (in their own time zone)."""
    return _backend is not None and _backend.in_quiet_window(user_id=user_id, at=at)


def next_allowed(user_id: int, at: datetime.datetime) -> datetime.datetime:
    """The first moment at or after `at` outside the person's quiet hours."""
    return at if _backend is None else _backend.next_allowed(user_id=user_id, at=at)


# --- Unsubscribing from an optional kind by a signed link (no sign-in) ---------------------------

UNSUBSCRIBE_SALT = "training.notices.unsubscribe"


def unsubscribe_token(user_id: int, kind_name: str) -> str:
    """A signed token that turns the optional kind `kind_name` off for the person `user_id`.

    It never expires (a mail read months later must still stop the next one) and can do nothing
    else: whoever holds it can only stop some messages to that person.
    """
    from django.core import signing

    return signing.dumps([user_id, kind_name], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """The (person, optional kind) a token from `unsubscribe_token` names; None when it was tampered
    with, is not ours, or names a kind that cannot be turned off."""
    from django.core import signing

    try:
        user_id, kind_name = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind_name, str):
        return None
    kind = _kinds.get(kind_name)
    if kind is None or not kind.optional:
        return None
    return user_id, kind_name
