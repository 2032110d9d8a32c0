"""The offline app's sync endpoint (issue 24): progress and quiz answers that waited for the network.

Offline, the service worker keeps what the volunteer did (a lesson marked done, a quiz submitted)
in a queue on the phone, filed under the account's key (`training.pwa.account_key`). Back online it
asks `GET /learn/sync/` who is signed in (and for a CSRF token: the token cookie is HTTP-only), and
sends the queue of that account, and only that one, to `POST /learn/sync/` as JSON:

    {"account": "<key>", "actions": [{"id": "<uuid from the phone>", "type": "lesson_done", ...}]}

and gets one result per action, in order: "done", "duplicate" (that id arrived before and was
done) or "refused" with a translated message. The phone resends whatever it is not sure arrived,
so each action is claimed once by its id (`SyncedAction`): a resend does nothing twice, and one
that was refused is refused again with the reason it had.

Each action runs in its own transaction and under the same rules as the page it came from: a
refused action leaves nothing behind but its record, and never stops the others. Learning knows
only its own kind of action (a lesson done); other rooms register theirs (`sync_action_register`,
from `CoursesConfig.ready()`: quizzes add "quiz_submit"), as they register outline items.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.authoring.models import LessonPage
from courses.learning.models import SyncedAction
from courses.learning.services import LearningError, lesson_complete
from training.pwa import account_key

# A phone sends its queue in parts no larger than these (the service worker knows them too).
MAX_BODY_BYTES = 256 * 1024
MAX_ACTIONS = 200
# Page ids are positive database integers; anything larger is no page (and overflows SQLite).
MAX_PAGE_ID = 2**31 - 1
# How long an action's record answers a resend. A phone drops an action from its queue as soon as
# an answer arrives, so only an answer lost on the way brings a resend, on the phone's next time
# online; after this a resent lesson is done again (which changes nothing) and a resent quiz is
# refused as an attempt already submitted.
SYNCED_ACTIONS_KEPT = datetime.timedelta(days=90)


class ActionRefused(LearningError):
    """A queued action refused before it changed anything; `str()` is translated and goes back to
    the phone. Raised inside the action's savepoint, so whatever it began is undone."""


# What performs one kind of queued action: given the request (its user, its view restrictions)
# and the action as the phone sent it, it does what the page would have done and returns "" when
# done, or a translated reason when what the server did stands but the phone's action was not taken
# (an attempt closed for its time limit). It raises a LearningError to refuse and undo.
SyncHandler = Callable[..., str]
_handlers: dict[str, SyncHandler] = {}


def sync_action_register(kind: str, handler: SyncHandler) -> None:
    """Let the sync endpoint perform actions of `kind` (from `CoursesConfig.ready()`)."""
    _handlers[kind] = handler


def sync_action_kinds() -> list[str]:
    return sorted(_handlers)


@dataclass(frozen=True)
class SyncResult:
    id: str
    status: str  # "done", "duplicate" or "refused"
    message: str = ""

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "message": self.message}


def visible_live_page(model, page_id: int, request: HttpRequest):
    """The live page of `model` the request may see, or None: drafts and pages behind view
    restrictions the reader does not pass look missing, as the page views answer them."""
    page = model.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return None
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            return None
    return page


def page_id_of(value: Any) -> int | None:
    """A page id as the phone sends it: a JSON integer (not a boolean, a string or a float)."""
    if type(value) is not int or not 0 < value <= MAX_PAGE_ID:
        return None
    return value


def malformed_message() -> str:
    return _("This saved action could not be read, so nothing was recorded.")


def lesson_done_action(*, request: HttpRequest, action: dict) -> str:
    """A lesson marked done offline: the rules of the lesson's "Mark as done" button (a live lesson
    the volunteer may see, of a course they are enrolled in and whose deadline has not passed).
    Marking a lesson done twice, under two ids, is done twice: the service records it once."""
    lesson_id = page_id_of(action.get("lesson"))
    if lesson_id is None:
        raise ActionRefused(malformed_message())
    lesson = visible_live_page(LessonPage, lesson_id, request)
    if lesson is None:
        raise ActionRefused(_("This page does not exist or is not published."))
    lesson_complete(volunteer=request.user, lesson=lesson)
    return ""


sync_action_register("lesson_done", lesson_done_action)


def uuid_from(value: Any) -> uuid.UUID | None:
    """The uuid a phone sent as a string, or None for anything else (a bounded parse)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _again(shown_id: str, row: SyncedAction) -> SyncResult:
    """The answer to an id that arrived before: done stays done (nothing is done twice), a refusal
    is repeated with its reason."""
    if row.outcome == SyncedAction.Outcome.DONE:
        return SyncResult(shown_id, "duplicate")
    return SyncResult(shown_id, "refused", row.message)


def _perform(*, request: HttpRequest, action: dict, kind: str) -> str:
    handler = _handlers.get(kind)
    if handler is None:
        return malformed_message()
    try:
        with transaction.atomic():
            return handler(request=request, action=action)
    except LearningError as error:
        return str(error)


def _sync_one(*, request: HttpRequest, action: Any, known: dict[uuid.UUID, SyncedAction]) -> SyncResult:
    raw_id = action.get("id") if isinstance(action, dict) else None
    shown_id = raw_id if isinstance(raw_id, str) else ""
    client_id = uuid_from(raw_id)
    if client_id is None:
        # Without an id it cannot be recorded, nor answered from a record when it comes again.
        return SyncResult(shown_id, "refused", malformed_message())
    if client_id in known:
        return _again(shown_id, known[client_id])
    kind = action.get("type")
    kind = kind if isinstance(kind, str) else ""
    volunteer = request.user
    with transaction.atomic():
        try:
            # Claimed before it is performed: a second request with the same id (the phone
            # resending while the first is still running) waits here and then finds the record.
            with transaction.atomic():
                row = SyncedAction.objects.create(
                    volunteer=volunteer,
                    client_id=client_id,
                    kind=kind[:40],
                    outcome=SyncedAction.Outcome.REFUSED,
                )
        except IntegrityError:
            row = SyncedAction.objects.get(volunteer=volunteer, client_id=client_id)
            known[client_id] = row
            return _again(shown_id, row)
        message = _perform(request=request, action=action, kind=kind)
        row.outcome = SyncedAction.Outcome.REFUSED if message else SyncedAction.Outcome.DONE
        row.message = message
        row.save(update_fields=["outcome", "message"])
    known[client_id] = row
    if message:
        return SyncResult(shown_id, "refused", message)
    return SyncResult(shown_id, "done")


def sync_actions(*, request: HttpRequest, actions: list) -> list[SyncResult]:
    """Perform the actions a phone queued for the signed-in volunteer, each once, in order.

    Each runs in its own transaction, so one refused (or one that fails) leaves the others done.
    The ids that arrived before are looked up in one query; the rest are claimed one by one.
    """
    ids = {client_id for action in actions if (client_id := _client_id_of(action)) is not None}
    known = {
        row.client_id: row for row in SyncedAction.objects.filter(volunteer=request.user, client_id__in=ids)
    }
    return [_sync_one(request=request, action=action, known=known) for action in actions]


def _client_id_of(action: Any) -> uuid.UUID | None:
    return uuid_from(action.get("id")) if isinstance(action, dict) else None


# --- The endpoint -------------------------------------------------------------------------------


class BadBody(Exception):
    """A body the endpoint cannot take at all (answered 400 with `str()`, translated)."""


def _json(data: dict, status: int = 200) -> HttpResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Nobody's key or token is ever kept by a cache (PrivateResponsesMiddleware keeps no-store).
    add_never_cache_headers(response)
    return response


def _holds_nul(data: Any) -> bool:
    """Whether any text in the parsed body holds a NUL, which no page accepts (PostgreSQL cannot
    store it); walked without recursion, however deep the body nests."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _too_large() -> BadBody:
    return BadBody(
        _(
            "This phone sent more than %(count)d saved actions or %(size)d KB at once. Send them in "
            "smaller parts."
        )
        % {"count": MAX_ACTIONS, "size": MAX_BODY_BYTES // 1024}
    )


def _read_body(request: HttpRequest) -> dict:
    unreadable = BadBody(_("What this phone sent could not be read. Open the site again and try once more."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise unreadable from None
    if length > MAX_BODY_BYTES:
        raise _too_large()
    try:
        raw = request.body
    except RawPostDataException:  # a multipart form, read already: not what the app sends
        raise unreadable from None
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise unreadable from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("account"), str)
        or not isinstance(data.get("actions"), list)
    ):
        raise unreadable
    if len(data["actions"]) > MAX_ACTIONS:
        raise _too_large()
    if _holds_nul(data):
        raise unreadable
    return data


@require_http_methods(["GET", "HEAD", "POST"])
def sync(request: HttpRequest) -> HttpResponse:
    """GET: who the phone is signed in as (the account key its queue must be filed under) and a CSRF
    token for the POST. POST: the queued actions of that account, performed; see the module.

    Signed out, both answer 401 in JSON (never the sign-in page: a service worker cannot follow a
    redirect to a form), so the phone keeps its queue until the person signs in again.
    """
    if not request.user.is_authenticated:
        return _json({"signed_in": False, "message": _("Sign in to send what this phone saved.")}, status=401)
    if request.method != "POST":
        return _json({"signed_in": True, "account": account_key(request.user), "csrf": get_token(request)})
    try:
        data = _read_body(request)
    except BadBody as error:
        return _json({"message": str(error)}, status=400)
    if data["account"] != account_key(request.user):
        # Another person's queue on a shared phone: none of it is taken as this person's.
        return _json(
            {
                "message": _(
                    "What this phone saved belongs to another account on it. Sign in as that person to "
                    "send it."
                )
            },
            status=409,
        )
    results = sync_actions(request=request, actions=data["actions"])
    return _json({"results": [result.as_json() for result in results]})


def synced_actions_prune() -> int:
    """Delete the records of actions received longer ago than `SYNCED_ACTIONS_KEPT`; daily."""
    deleted, _by_model = SyncedAction.objects.filter(
        created_at__lt=timezone.now() - SYNCED_ACTIONS_KEPT
    ).delete()
    return deleted
