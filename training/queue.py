"""Queuing a task that follows data the caller is writing.

On the database queue the task row is written in the caller's transaction: it exists exactly when
the data does, and a process that dies after the commit loses nothing. The immediate backend would
run the task at once, before the data is committed (and even if it is then rolled back), so there
the task runs when the transaction commits, as a worker would run it.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend


def enqueue_with_data(task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` to follow the current transaction's data."""
    if isinstance(task.get_backend(), ImmediateBackend):
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    else:
        task.enqueue(*args, **kwargs)
