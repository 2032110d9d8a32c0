"""Periodic jobs: a small scheduler of our own, run by `manage.py scheduler`.

The cron-style schedulers for Django's tasks framework need Django 6 and Python 3.12, so this
project keeps its own, and keeps it small. Apps declare jobs in `AppConfig.ready()` with
`job_register`: a task of the tasks framework, how often it runs (`every`, from a minute to a
week), an optional `offset` into each period (a daily job at 02:00 Bangkok time has
`every=timedelta(days=1), offset=timedelta(hours=19)`, slots being counted from the Unix epoch
in UTC), and what happens to a slot missed while no scheduler ran (`catch_up`).

Every run of a job is claimed by inserting its (job, slot) row, which the database keeps unique.
Two schedulers started together, a restart in the middle of a slot, or a clock that jumps back
never run a slot twice: the second insert fails and that scheduler moves on. A scheduler that
returns after missing slots runs the job once for all of them when `catch_up` is true (the
default, for work that must happen, like storing PDFs), or skips to the next slot when it is
false (for work that only matters now). The claimed task is enqueued on the tasks backend; with
the immediate backend it runs inside the scheduler process.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
SHORTEST = datetime.timedelta(minutes=1)
LONGEST = datetime.timedelta(weeks=1)


@dataclass(frozen=True)
class Job:
    name: str
    task: object  # a django_tasks Task: anything with .enqueue()
    every: datetime.timedelta
    offset: datetime.timedelta = datetime.timedelta(0)
    catch_up: bool = True

    def slot_at(self, moment: datetime.datetime) -> datetime.datetime:
        """The start of the slot `moment` falls in."""
        periods = (moment - EPOCH - self.offset) // self.every
        return EPOCH + self.offset + periods * self.every


JOBS: dict[str, Job] = {}


def job_register(
    name: str,
    task: object,
    *,
    every: datetime.timedelta,
    offset: datetime.timedelta = datetime.timedelta(0),
    catch_up: bool = True,
) -> Job:
    """Run `task` once in every slot of length `every`; called from `AppConfig.ready()`."""
    if not SHORTEST <= every <= LONGEST:
        raise ValueError(f"{name}: a job runs between every minute and every week, not every {every}")
    if not datetime.timedelta(0) <= offset < every:
        raise ValueError(f"{name}: the offset must fall inside the period")
    if name in JOBS and JOBS[name].task is not task:
        raise ValueError(f"{name}: a job of that name is registered already")
    JOBS[name] = Job(name=name, task=task, every=every, offset=offset, catch_up=catch_up)
    return JOBS[name]


@dataclass(frozen=True)
class Outcome:
    job: str
    slot: datetime.datetime
    action: str  # "ran", "skipped" (a missed slot of a job that does not catch up), "failed"


def _claim(job: Job, slot: datetime.datetime, status: str, owner: str) -> bool:
    from training.models import ScheduledRun

    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=slot, status=status, claimed_by=owner)
    except IntegrityError:
        return False
    return True


def tick(
    *, now: datetime.datetime | None = None, owner: str = "", jobs: dict[str, Job] | None = None
) -> list[Outcome]:
    """Claim and enqueue every job whose current slot no scheduler has claimed yet."""
    from training.models import ScheduledRun

    now = now or timezone.now()
    jobs = JOBS if jobs is None else jobs
    outcomes = []
    for job in jobs.values():
        slot = job.slot_at(now)
        last = (
            ScheduledRun.objects.filter(job=job.name).order_by("-slot").values_list("slot", flat=True).first()
        )
        if last is not None and last >= slot:
            continue  # this slot ran already (or the clock went back): nothing to do
        late = now - slot > min(job.every / 2, datetime.timedelta(minutes=10))
        if not job.catch_up and late and last is not None:
            # Work that matters only in its own slot: slots missed while no scheduler ran are gone,
            # and one that comes back late in a slot skips it and waits for the next.
            if _claim(job, slot, ScheduledRun.Status.SKIPPED, owner):
                outcomes.append(Outcome(job.name, slot, "skipped"))
            continue
        if not _claim(job, slot, ScheduledRun.Status.ENQUEUED, owner):
            continue  # another scheduler claimed it first
        try:
            result = job.task.enqueue()
        except Exception as error:  # the claim stays, marked failed, so the slot is not retried in a loop
            logger.exception("Scheduled job %s failed for the slot at %s", job.name, slot.isoformat())
            ScheduledRun.objects.filter(job=job.name, slot=slot).update(
                status=ScheduledRun.Status.FAILED, error=str(error)[:1000]
            )
            outcomes.append(Outcome(job.name, slot, "failed"))
            continue
        ScheduledRun.objects.filter(job=job.name, slot=slot).update(
            task_result_id=str(getattr(result, "id", ""))
        )
        outcomes.append(Outcome(job.name, slot, "ran"))
    return outcomes


def run_forever(
    *, owner: str, interval: float = 15.0, should_stop: Callable[[], bool] = lambda: False
) -> None:
    """Tick every `interval` seconds until `should_stop()`; a failing tick is logged, not fatal."""
    from django.db import close_old_connections

    while not should_stop():
        close_old_connections()
        try:
            for outcome in tick(owner=owner):
                logger.info(
                    "Scheduled job %s %s for the slot at %s", outcome.job, outcome.action, outcome.slot
                )
        except Exception:
            logger.exception("The scheduler's tick failed; trying again in %s s", interval)
        slept = 0.0
        while slept < interval and not should_stop():
            time.sleep(min(0.5, interval - slept))
            slept += 0.5
