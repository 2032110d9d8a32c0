"""Listeners called when a person confirms their email address, inside the confirming transaction.

`volunteers` never imports the apps that depend on it: certificates registers a listener from its
`AppConfig.ready()` that issues the certificates a completion earned before the address was
confirmed. A listener's failure rolls the confirmation back, so the two never disagree.
"""

from collections.abc import Callable
from typing import Any

_listeners: dict[str, Callable[..., None]] = {}


def register_email_confirmed_listener(name: str, listener: Callable[..., None]) -> None:
    """Register (or replace) the listener called `name`; it is called as ``listener(user=...)``."""
    _listeners[name] = listener


def notify_email_confirmed(*, user: Any) -> None:
    for listener in list(_listeners.values()):
        listener(user=user)
