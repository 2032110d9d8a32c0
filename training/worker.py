"""The task worker: django-tasks-db's database worker, with the three things it lacks here.

django-tasks 0.12 has no retries, and django-tasks-db claims only READY jobs, so a job whose
worker was killed would stay RUNNING for ever. This layer adds, around its `Worker`:

- **Retries with backoff.** A task that raises is put back READY to run after 30 s, 1, 2, 4 ...
  minutes (at most an hour, with a little jitter) until it has run `MAX_ATTEMPTS` times; then it
  stays FAILED: the dead letter, which `send_again` (staff, from the admin) puts back in the queue.
- **A lease.** A job RUNNING for longer than `TASK_LEASE_SECONDS` (15 minutes) is taken to belong
  to a worker that died. The sweeper, a thread of every `manage.py worker`, puts it back READY (or
  FAILED once its attempts are used up). Every claim is an attempt, so a job that kills its worker
  does not loop for ever.
- **Attempts counted** as the claims recorded on the job (`worker_ids`).

So tasks run at least once and must be idempotent: a worker killed after the work but before
recording it runs the work again. Tasks receive ids, never personal data.
"""

from __future__ import annotations

import datetime
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_BACKOFF = datetime.timedelta(seconds=30)
LONGEST_BACKOFF = datetime.timedelta(hours=1)
SWEEP_EVERY = datetime.timedelta(seconds=30)
LEASE_EXPIRED = "training.worker.LeaseExpired"
# Seconds a worker waits before it tries the database again after a connection error.
OUTAGE_PAUSE = 2


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait before the next attempt, after `attempts` attempts."""
    delay = min(FIRST_BACKOFF * 2 ** (attempts - 1), LONGEST_BACKOFF)
    return delay + datetime.timedelta(seconds=random.uniform(0, delay.total_seconds() / 10))  # noqa: S311


def retry_or_fail(job: DBTaskResult, *, now: datetime.datetime | None = None) -> str:
    """After a failed attempt (an exception, or a lease that ran out): READY again after the
    backoff while attempts remain, FAILED for good when they are used up. Returns the status."""
    now = now or timezone.now()
    if len(job.worker_ids) < MAX_ATTEMPTS:
        DBTaskResult.objects.filter(pk=job.pk).update(
            status=TaskResultStatus.READY, run_after=now + backoff(len(job.worker_ids)), finished_at=None
        )
        return TaskResultStatus.READY
    DBTaskResult.objects.filter(pk=job.pk).update(status=TaskResultStatus.FAILED, finished_at=now)
    return TaskResultStatus.FAILED


def close_database_connections() -> None:
    """Drop this thread's connections, broken ones included, so the next query opens a new one."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except (OperationalError, InterfaceError):
            connection.connection = None


def lease() -> datetime.timedelta:
    """How long a job may run before it is taken to belong to a dead worker (`TASK_LEASE_SECONDS`)."""
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def sweep_expired_leases(*, now: datetime.datetime | None = None) -> int:
    """Put back the jobs whose worker stopped while running them; returns how many."""
    now = now or timezone.now()
    swept = 0
    with transaction.atomic():
        expired = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - lease()
        )
        for job in expired:
            last_worker = job.worker_ids[-1] if job.worker_ids else "?"
            DBTaskResult.objects.filter(pk=job.pk).update(
                exception_class_path=LEASE_EXPIRED,
                traceback=f"The worker {last_worker} stopped while running it.",
            )
            status = retry_or_fail(job, now=now)
            logger.warning("Task %s (%s) outlived its lease; now %s", job.pk, job.task_path, status)
            swept += 1
    return swept


def send_again(job: DBTaskResult) -> None:
    """Staff send a dead letter again: its attempts start afresh."""
    DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=get_date_max(), worker_ids=[], finished_at=None
    )


class Worker(DatabaseWorker):
    """django-tasks-db's worker, with retries, which outlives a database outage (django-tasks-db's
    own stops at the first connection error); `manage.py worker` runs the loops beside it."""

    def run(self) -> None:
        while True:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    return None
                logger.warning("The database is unavailable (%s); trying again in %s s", error, OUTAGE_PAUSE)
                close_database_connections()
                time.sleep(OUTAGE_PAUSE)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        db_task_result.refresh_from_db(fields=["status", "worker_ids"])
        if db_task_result.status == TaskResultStatus.FAILED:
            status = retry_or_fail(db_task_result)
            logger.warning(
                "Task %s (%s) failed on attempt %s; now %s",
                db_task_result.pk,
                db_task_result.task_path,
                len(db_task_result.worker_ids),
                status,
            )


# --- Loops: work a worker does beside its tasks, each in a thread of its own ---------------------


@dataclass(frozen=True)
class Loop:
    name: str
    step: Callable[[], object]  # one pass; a truthy result means "more is waiting, come straight back"
    every: datetime.timedelta


LOOPS: dict[str, Loop] = {}


def loop_register(name: str, step: Callable[[], object], *, every: datetime.timedelta) -> None:
    """Have every `manage.py worker` run `step` every `every` (apps call this in `ready()`)."""
    LOOPS[name] = Loop(name=name, step=step, every=every)


def run_loop(loop: Loop, stop: threading.Event) -> None:
    """One loop, in a thread of the worker process, until `stop` is set. A pass that raises is
    logged and tried again after the loop's pause."""
    from django.db import close_old_connections, connection

    try:
        while not stop.is_set():
            close_old_connections()
            try:
                more = loop.step()
            except (OperationalError, InterfaceError) as error:  # an outage: no traceback to read
                logger.warning("The worker loop %r found the database unavailable: %s", loop.name, error)
                more = False
            except Exception:
                logger.exception("The worker loop %r failed; trying again in %s", loop.name, loop.every)
                more = False
            if not more:
                stop.wait(loop.every.total_seconds())
    finally:
        connection.close()


def start_loops(stop: threading.Event) -> list[threading.Thread]:
    """Start every registered loop in a daemon thread."""
    threads = [
        threading.Thread(target=run_loop, args=(loop, stop), name=f"loop-{loop.name}", daemon=True)
        for loop in LOOPS.values()
    ]
    for thread in threads:
        thread.start()
    return threads


def sweep_every() -> datetime.timedelta:
    """How often the sweeper looks: every 30 s, or twice per lease when leases are shorter."""
    return min(SWEEP_EVERY, lease() / 2)
