"""Queries every signed-in request runs, with their SQL compiled once per process.

The ORM builds and compiles a query's SQL each time it runs. For the person's row with their unread
count (notifications.auth), that took about a millisecond of CPU, far more than the database took
to answer, on every page a volunteer opens. A `Precompiled` query is written with the ORM as usual,
compiled once per database alias with stand-in values, and then run with the request's own values
in their places, as a raw query on the same model: the same SQL, the same rows, the same objects.

Only for queries whose SQL does not change with their values (equality with one value each, no
`IN` lists): `compile` checks that each stand-in appears among the parameters, and every place it
appears takes the value.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# Stand-ins no real value takes: ids far below any sequence's (two, for a query of two ids), an
# impossible text, a moment long before the site existed.
STAND_IN_INT = -7_301_234_567_891
STAND_IN_OTHER_INT = -7_301_234_567_892
STAND_IN_TEXT = "\x00precompiled\x00"
STAND_IN_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC)
STAND_IN_UUID = uuid.UUID("00000000-7301-4234-8567-891000000000")


def _adapted(value: Any, using: str) -> Any:
    """A value as the ORM passes it to the database (a moment or a UUID, as the backend stores it)."""
    if isinstance(value, datetime.datetime):
        return connections[using].ops.adapt_datetimefield_value(value)
    if isinstance(value, uuid.UUID) and not connections[using].features.has_native_uuid_field:
        return value.hex
    return value


class Precompiled:
    """`build(*stand_ins)` returns the queryset; `first(*values)` runs it with `values` instead."""

    def __init__(self, build: Callable[..., QuerySet], *stand_ins: Any):
        if len(set(stand_ins)) != len(stand_ins):
            # Their places could not be told apart: every value would land in each one's places.
            raise ValueError("Each value of a precompiled query needs a stand-in of its own.")
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[str, tuple[type[Model], str, list, list[list[int]]]] = {}
        self._lock = threading.Lock()

    def compile(self, using: str) -> tuple[type[Model], str, list, list[list[int]]]:
        compiled = self._compiled.get(using)
        if compiled is None:
            queryset = self.build(*self.stand_ins)
            sql, params = queryset.query.get_compiler(using=using).as_sql()
            params = list(params)
            slots = []
            for stand_in in self.stand_ins:
                probe = _adapted(stand_in, using)
                found = [index for index, param in enumerate(params) if param == probe]
                if not found:
                    raise ValueError(f"Stand-in {stand_in!r} does not appear in {sql}")
                slots.append(found)
            compiled = (queryset.model, sql, params, slots)
            with self._lock:
                self._compiled[using] = compiled
        return compiled

    def _with(self, values: tuple, using: str) -> tuple[type[Model], str, list]:
        model, sql, params, slots = self.compile(using)
        params = list(params)
        for places, value in zip(slots, values, strict=True):
            for place in places:
                params[place] = _adapted(value, using)
        return model, sql, params

    def first(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        """The first row as the queryset would give it (fields and annotations), or None."""
        model, sql, params = self._with(values, using)
        return next(iter(model._default_manager.db_manager(using).raw(sql, params)), None)

    def objects(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[Model]:
        """Every row as the queryset would give it (fields and annotations; no `select_related`)."""
        model, sql, params = self._with(values, using)
        return list(model._default_manager.db_manager(using).raw(sql, params))

    def rows(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The rows of a `values_list` query, as the database gives them (no field conversions:
        for ids, numbers and text)."""
        _model, sql, params = self._with(values, using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def value(self, using: str = DEFAULT_DB_ALIAS) -> Any:
        """The first column of the first row of a `values_list` query without stand-ins, or None."""
        rows = self.rows(using=using)
        return rows[0][0] if rows else None


class PrecompiledPerModel:
    """A `Precompiled` query for each model it is asked for: `build(model, *stand_ins)` returns the
    queryset (a page read as its specific type, say, whose SQL differs per type)."""

    def __init__(self, build: Callable[..., QuerySet], *stand_ins: Any):
        self.build = build
        self.stand_ins = stand_ins
        self._queries: dict[type[Model], Precompiled] = {}

    def __getitem__(self, model: type[Model]) -> Precompiled:
        query = self._queries.get(model)
        if query is None:
            query = self._queries.setdefault(
                model, Precompiled(lambda *values: self.build(model, *values), *self.stand_ins)
            )
        return query
