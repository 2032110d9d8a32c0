"""Tasks the worker tests enqueue: each records its run in a file, so the test counts runs."""

import os
import time

from django_tasks import task

FLAKY_FAILURES: dict[str, int] = {}


@task()
def record(*, path: str, number: int, seconds: float = 0.0) -> int:
    """Sleep, then append `number` to the file at `path` (one line per run, O_APPEND)."""
    time.sleep(seconds)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, f"{number}\n".encode())
    finally:
        os.close(descriptor)
    return number


@task()
def flaky(*, key: str, failures: int) -> str:
    """Fail the first `failures` runs for `key`, then succeed."""
    seen = FLAKY_FAILURES.get(key, 0)
    if seen < failures:
        FLAKY_FAILURES[key] = seen + 1
        raise RuntimeError(f"failure {seen + 1} of {failures}")
    return "done"
