"""Course completion listeners: other apps act on a completion inside the same transaction.

`courses` never imports the apps that depend on it. An app that must act when a volunteer
completes a course (certificates issues one) registers a listener from its `AppConfig.ready()`;
the completion service calls every listener inside the transaction that records the completion,
so a listener's failure rolls the completion back and the two never disagree.

A room may also hold a completion back: a gate registered here (the end-of-course evaluation,
`courses.evaluations`) is asked once the course's rule holds, and the completion is recorded only
when every gate is open. The room that closed it checks the completion again when it opens.
"""

import datetime
from collections.abc import Callable
from typing import Any, Protocol


class CompletionListener(Protocol):
    def __call__(self, *, volunteer: Any, course: Any, completed_at: datetime.datetime) -> None: ...


_listeners: dict[str, CompletionListener] = {}


def register_completion_listener(name: str, listener: CompletionListener) -> None:
    """Register (or replace) the listener called `name`."""
    _listeners[name] = listener


def completion_listeners() -> list[Callable[..., None]]:
    return list(_listeners.values())


def notify_course_completed(*, volunteer: Any, course: Any, completed_at: datetime.datetime) -> None:
    """Call every listener; the caller holds the transaction that recorded the completion.

    `course` is the course page in the default (Thai) locale, whichever language was read.
    """
    for listener in completion_listeners():
        listener(volunteer=volunteer, course=course, completed_at=completed_at)


class CompletionGate(Protocol):
    def __call__(self, *, volunteer: Any, course: Any) -> bool: ...


_gates: dict[str, CompletionGate] = {}


def register_completion_gate(name: str, gate: CompletionGate) -> None:
    """Register (or replace) the gate called `name`: it answers whether the completion may be recorded."""
    _gates[name] = gate


def completion_gates_open(*, volunteer: Any, course: Any) -> bool:
    """Whether every registered gate lets the volunteer's completion of `course` be recorded."""
    return all(gate(volunteer=volunteer, course=course) for gate in _gates.values())
