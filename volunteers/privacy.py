"""The privacy registry: every app says how to export and erase what it holds about a person.

`volunteers` is the register everything else refers to, so it cannot import the other apps. Each
app registers a `PrivacyProvider` from its `AppConfig.ready()`, naming the models it covers; a test
fails when a model that refers to the user is covered by no provider.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

ERASED = "[erased]"


@dataclass(frozen=True)
class PrivacyProvider:
    """How one app exports and erases a person's data.

    `export(user)` returns JSON-serialisable data; `erase(user, identifiers)` removes or
    anonymises it, where `identifiers` are the person's email, names and phone as they were before
    erasure began (so free text that repeats them can be redacted).
    """

    label: str
    models: tuple[type[models.Model], ...]
    export: Callable[[Any], Any]
    erase: Callable[[Any, list[str]], None]
    order: int = 100
    notes: dict[str, str] = field(default_factory=dict)


_providers: dict[str, PrivacyProvider] = {}


def register_privacy_provider(provider: PrivacyProvider) -> None:
    _providers[provider.label] = provider


def privacy_providers() -> list[PrivacyProvider]:
    """Registered providers, erased in `order` (the person's own account last)."""
    return sorted(_providers.values(), key=lambda provider: provider.order)


def covered_models() -> set[type[models.Model]]:
    return {model for provider in _providers.values() for model in provider.models}


def redact(value: Any, identifiers: Iterable[str]) -> Any:
    """`value` with every identifier replaced, looking inside dicts and lists (JSON data)."""
    identifiers = [item for item in identifiers if item and len(item) >= 2]
    if isinstance(value, str):
        for item in sorted(identifiers, key=len, reverse=True):
            value = re.sub(re.escape(item), ERASED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {redact(key, identifiers): redact(item, identifiers) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, identifiers) for item in value]
    return value
