"""The served site's own data as text, for tests/journeys/test_admin_in_thai.py.

A screen of the admin may show Latin script because a person typed it (a volunteer's name in the
register, an English course title, an organisation in Oslo) rather than because a label was left
untranslated. This lists every text the database holds, so the test can tell the two apart. It
reads the tables raw (JSON and StreamField columns as stored, HTML stripped), and runs in the served
site's environment (`ServedSite.data_values`, through the site's shell).

Left out are tables whose text is the software's own rather than anyone's data: Django's
permission and content-type names (English labels the admin shows translated through verbose
names), sessions, and the outbox (mails are rendered from templates, in English for English readers).
"""

from __future__ import annotations

import html
import json
import re

SOFTWARE_TEXT = {
    "auth.Permission",
    "contenttypes.ContentType",
    "sessions.Session",
    "notifications.OutboxMessage",
}
TAG = re.compile(r"<[^>]+>")


def texts_in(value):
    """The strings a stored value holds: JSON (a revision, a StreamField) walked to its strings, HTML
    reduced to its text."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "[{":
            try:
                parsed = json.loads(stripped)
            except ValueError:
                parsed = None
            if parsed is not None:
                yield from texts_in(parsed)
                return
        if "<" in value:
            value = html.unescape(TAG.sub(" ", value))
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_in(item)


def data_values() -> set[str]:
    from django.apps import apps
    from django.db import connection, models

    values: set[str] = set()
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.label in SOFTWARE_TEXT or model._meta.proxy:
                continue
            columns = [
                field.column
                for field in model._meta.local_concrete_fields
                if isinstance(field, (models.CharField, models.TextField, models.JSONField, models.FileField))
                or field.get_internal_type() in ("StreamField", "JSONField")
            ]
            if not columns:
                continue
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            for row in cursor.fetchall():
                found = [text for value in row if value for text in texts_in(value)]
                values.update(" ".join(text.split()) for text in found)
                # A row's short texts side by side: a name shown as first and family name together.
                values.add(" ".join(text for text in found if len(text) <= 80))
    values.discard("")
    return values
