"""Sending a phone's queue to the sync endpoint as the service worker sends it."""

import json
import uuid

SYNC = "/learn/sync/"
SYNC_EN = "/en/learn/sync/"


def lesson_done(lesson_id, *, action_id: str | None = None) -> dict:
    return {
        "id": action_id or str(uuid.uuid4()),
        "type": "lesson_done",
        "lesson": lesson_id,
        "at": "2026-12-04T09:30:00+07:00",
    }


def send(client, account: str, actions: list, *, url: str = SYNC, **extra):
    return client.post(
        url, json.dumps({"account": account, "actions": actions}), content_type="application/json", **extra
    )


def send_raw(client, body, *, url: str = SYNC, content_type: str = "application/json"):
    return client.post(url, body, content_type=content_type)
