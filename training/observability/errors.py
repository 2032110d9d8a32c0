"""Error reports through Sentry's SDK, when `SENTRY_DSN` is set, with personal data scrubbed.

The SDK patches nothing here (`default_integrations=False`): every process (web, task worker,
scheduler) already logs its errors, and a handler on the root logger turns each record at ERROR or
above into an event, exceptions with their stack. Before an event leaves, `scrub` keeps only what
names the fault: no local variables, no request (address, headers, cookies, body), no breadcrumbs,
no extra data but the request id, the person only as their numeric id, and any email address left
in a message replaced.
"""

import logging
import re

from django.conf import settings

from training.observability import context

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
KEPT_EXTRA = ("request_id", "view", "status_code", "task")


def start(dsn: str | None = None, **options) -> logging.Handler | None:
    """Start reporting to `dsn` (SENTRY_DSN by default); returns the root logger's new handler."""
    dsn = dsn if dsn is not None else settings.SENTRY_DSN
    if not dsn:
        return None
    import sentry_sdk
    from sentry_sdk.integrations.logging import EventHandler

    # The SDK's own default sends no personal data and runs its event scrubber; `scrub` goes further.
    sentry_sdk.init(
        dsn=dsn,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.RELEASE or None,
        default_integrations=False,
        auto_enabling_integrations=False,
        include_local_variables=False,
        max_breadcrumbs=0,
        traces_sample_rate=0,
        auto_session_tracking=False,
        before_send=scrub,
        **options,
    )
    handler = EventHandler(level=logging.ERROR)
    logging.getLogger().addHandler(handler)
    return handler


def scrub(event: dict, hint: dict) -> dict:
    for field in ("request", "breadcrumbs", "contexts", "modules"):
        event.pop(field, None)
    kept = {key: value for key, value in (event.get("extra") or {}).items() if key in KEPT_EXTRA}
    kept.setdefault("request_id", context.request_id())
    event["extra"] = {key: value for key, value in kept.items() if value is not None}
    event["tags"] = {**(event.get("tags") or {}), "request_id": kept.get("request_id") or "none"}
    person = context.user_id()
    event["user"] = {"id": str(person)} if person else {}
    if event.get("logger") == "django.request" and "logentry" in event:
        # "Internal Server Error: <address>": an address can carry a key or a code.
        event["logentry"] = {"message": event["logentry"].get("message", ""), "params": []}
    if event["extra"].get("view"):
        event["transaction"] = event["extra"]["view"]
    elif context.current_request() is not None:
        event["transaction"] = context.view_name(context.current_request())
    return without_addresses(event)


def without_addresses(value):
    """Every string in the event with email addresses replaced; frames without their variables."""
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: without_addresses(item) for key, item in value.items() if key != "vars"}
    if isinstance(value, list | tuple):
        return [without_addresses(item) for item in value]
    return value
