"""The scheduler runs each slot of a periodic job once: across schedulers started together, after a
restart in the middle of a slot, and when the clock jumps back; a missed slot runs once on return or
is skipped, as the job declares. Claims are rows in the real database, on both test passes."""

import datetime
import threading
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from training import scheduler
from training.models import ScheduledRun
from training.tasks import housekeeping

UTC = datetime.UTC


class CountingTask:
    """Stands in for a task of the tasks framework: counts what the scheduler enqueues."""

    def __init__(self, fail: bool = False):
        self.enqueued = 0
        self.fail = fail
        self.lock = threading.Lock()

    def enqueue(self):
        if self.fail:
            raise RuntimeError("the task backend is down")
        with self.lock:
            self.enqueued += 1


def at(hour: int, minute: int = 0, day: int = 7) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, 5, tzinfo=UTC)


def one_job(task, **options) -> dict[str, scheduler.Job]:
    options.setdefault("every", datetime.timedelta(hours=1))
    return {"job": scheduler.Job(name="job", task=task, **options)}


def test_slots_are_counted_from_the_epoch_with_the_offset():
    daily = scheduler.Job(
        name="d", task=None, every=datetime.timedelta(days=1), offset=datetime.timedelta(hours=20)
    )
    assert daily.slot_at(at(19, 59)) == datetime.datetime(2026, 12, 6, 20, tzinfo=UTC)
    assert daily.slot_at(at(20, 0)) == datetime.datetime(2026, 12, 7, 20, tzinfo=UTC)
    every_ten = scheduler.Job(name="t", task=None, every=datetime.timedelta(minutes=10))
    assert every_ten.slot_at(at(9, 37)) == datetime.datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def test_jobs_are_declared_between_every_minute_and_every_week():
    with pytest.raises(ValueError):
        scheduler.job_register("too-often", CountingTask(), every=datetime.timedelta(seconds=10))
    with pytest.raises(ValueError):
        scheduler.job_register(
            "odd", CountingTask(), every=datetime.timedelta(hours=1), offset=datetime.timedelta(hours=2)
        )
    assert {"housekeeping", "certificates_render_pending"} <= set(scheduler.JOBS)


@pytest.mark.django_db
def test_a_slot_runs_once_and_a_clock_that_jumps_back_runs_nothing():
    task = CountingTask()
    jobs = one_job(task)
    assert [o.action for o in scheduler.tick(now=at(9, 1), jobs=jobs)] == ["ran"]
    assert scheduler.tick(now=at(9, 40), jobs=jobs) == []
    assert scheduler.tick(now=at(8, 30), jobs=jobs) == []  # the clock went back an hour
    assert [o.action for o in scheduler.tick(now=at(10, 0), jobs=jobs)] == ["ran"]
    assert task.enqueued == 2
    assert list(ScheduledRun.objects.values_list("status", flat=True)) == ["enqueued", "enqueued"]


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_started_together_run_each_slot_once():
    task = CountingTask()
    jobs = one_job(task, every=datetime.timedelta(minutes=1))
    slots = [at(9, minute) for minute in range(8)]
    barrier = threading.Barrier(2)
    errors = []

    def scheduler_process(name: str):
        try:
            for moment in slots:
                barrier.wait(timeout=30)
                scheduler.tick(now=moment, owner=name, jobs=jobs)
        except Exception as error:  # reported below; a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler_process, args=(f"scheduler-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert task.enqueued == len(slots)
    assert ScheduledRun.objects.count() == len(slots)


@pytest.mark.django_db
def test_a_scheduler_stopped_over_a_slot_runs_a_catching_up_job_once_on_return():
    task = CountingTask()
    jobs = one_job(task)
    scheduler.tick(now=at(9, 1), jobs=jobs)
    # Stopped from 09:30 to 12:20: the 10:00 and 11:00 slots were missed.
    outcomes = scheduler.tick(now=at(12, 20), jobs=jobs)
    assert [(o.action, o.slot.hour) for o in outcomes] == [("ran", 12)]
    assert scheduler.tick(now=at(12, 21), jobs=jobs) == []
    assert task.enqueued == 2


@pytest.mark.django_db
def test_a_job_that_does_not_catch_up_skips_the_slot_it_returns_late_in():
    task = CountingTask()
    jobs = one_job(task, catch_up=False)
    scheduler.tick(now=at(9, 1), jobs=jobs)
    outcomes = scheduler.tick(now=at(12, 40), jobs=jobs)
    assert [(o.action, o.slot.hour) for o in outcomes] == [("skipped", 12)]
    assert [(o.action, o.slot.hour) for o in scheduler.tick(now=at(13, 0), jobs=jobs)] == [("ran", 13)]
    assert task.enqueued == 2


@pytest.mark.django_db
def test_a_task_that_cannot_be_enqueued_is_recorded_failed_and_not_retried_in_a_loop():
    task = CountingTask(fail=True)
    jobs = one_job(task)
    assert [o.action for o in scheduler.tick(now=at(9, 1), jobs=jobs)] == ["failed"]
    assert scheduler.tick(now=at(9, 2), jobs=jobs) == []
    run = ScheduledRun.objects.get()
    assert (run.status, run.error) == ("failed", "the task backend is down")


@pytest.mark.django_db
def test_the_command_ticks_once_with_the_registered_jobs_and_a_second_run_claims_nothing():
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    assert "housekeeping ran" in out.getvalue()
    assert "certificates_render_pending ran" in out.getvalue()
    again = StringIO()
    call_command("scheduler", "--once", stdout=again)
    assert again.getvalue() == ""


@pytest.mark.django_db
def test_housekeeping_deletes_expired_sessions_and_old_run_records():
    now = timezone.now()
    Session.objects.create(
        session_key="expired", session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="current", session_data="", expire_date=now + datetime.timedelta(days=1)
    )
    ScheduledRun.objects.create(job="old", slot=now - datetime.timedelta(days=40), status="enqueued")
    ScheduledRun.objects.create(job="recent", slot=now - datetime.timedelta(days=1), status="enqueued")
    housekeeping.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["recent"]


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_loop_ticks_until_told_to_stop_and_survives_a_failing_tick(monkeypatch):
    ticks = []

    def flaky_tick(**kwargs):
        ticks.append(kwargs["owner"])
        if len(ticks) == 1:
            raise RuntimeError("the database went away")
        return []

    monkeypatch.setattr(scheduler, "tick", flaky_tick)
    scheduler.run_forever(owner="loop", interval=0.01, should_stop=lambda: len(ticks) >= 3)
    assert ticks == ["loop", "loop", "loop"]
