"""The task worker (training.worker): failed tasks are retried with backoff and end as dead letters
staff can send again; a job left running by a killed worker runs again once its lease expires, with
at most one duplicate per job that was in flight. On the real database of each test pass (the
killed worker on PostgreSQL)."""

import datetime
import signal

import pytest
from django.db import connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.training import worker_tasks
from tests.training.worker_process import start_worker, this_database_url, wait_for
from training import worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_QUEUE
    worker_tasks.FLAKY_FAILURES.clear()


def drain() -> None:
    """What `manage.py worker --batch` does: run every job that is ready, then return."""
    worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


def time_passes() -> None:
    """Every job waiting for its backoff is due now."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)  # the worker takes its own (exclusive) transactions
def test_a_failing_task_is_retried_with_growing_backoff_until_it_succeeds(queue):
    result = worker_tasks.flaky.enqueue(key="twice", failures=2)
    before = timezone.now()
    drain()
    job = DBTaskResult.objects.get(pk=result.id)
    assert (job.status, len(job.worker_ids)) == (TaskResultStatus.READY, 1)
    first_wait = job.run_after - before
    assert datetime.timedelta(seconds=29) < first_wait < datetime.timedelta(seconds=40)
    drain()  # not due yet: nothing runs
    assert len(DBTaskResult.objects.get(pk=result.id).worker_ids) == 1
    time_passes()
    before = timezone.now()
    drain()
    job.refresh_from_db()
    assert job.run_after - before > first_wait  # 60 s after the second failure
    time_passes()
    drain()
    job.refresh_from_db()
    assert (job.status, len(job.worker_ids), job.return_value) == (TaskResultStatus.SUCCESSFUL, 3, "done")


@pytest.mark.django_db(transaction=True)
def test_a_task_failing_every_attempt_becomes_a_dead_letter_that_can_be_sent_again(queue):
    result = worker_tasks.flaky.enqueue(key="always", failures=worker.MAX_ATTEMPTS)
    for _attempt in range(worker.MAX_ATTEMPTS):
        drain()
        time_passes()
    job = DBTaskResult.objects.get(pk=result.id)
    assert (job.status, len(job.worker_ids)) == (TaskResultStatus.FAILED, worker.MAX_ATTEMPTS)
    assert job.exception_class_path == "builtins.RuntimeError"
    assert "failure 5 of 5" in job.traceback
    worker.send_again(job)
    drain()
    job.refresh_from_db()
    assert (job.status, job.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["test-worker"])


@pytest.mark.django_db
def test_the_sweeper_requeues_jobs_past_their_lease_and_leaves_running_ones_alone(queue, settings, tmp_path):
    settings.TASK_LEASE_SECONDS = 60
    now = timezone.now()
    stale, fresh, spent = (
        worker_tasks.record.enqueue(path=str(tmp_path / "runs"), number=n) for n in (1, 2, 3)
    )
    DBTaskResult.objects.filter(pk=stale.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - datetime.timedelta(seconds=61), worker_ids=["dead"]
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=now - datetime.timedelta(seconds=30), worker_ids=["alive"]
    )
    DBTaskResult.objects.filter(pk=spent.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=now - datetime.timedelta(hours=1),
        worker_ids=["dead"] * worker.MAX_ATTEMPTS,
    )
    assert worker.sweep_expired_leases(now=now) == 2
    states = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert states[stale.id] == TaskResultStatus.READY
    assert states[fresh.id] == TaskResultStatus.RUNNING
    assert states[spent.id] == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=spent.id).exception_class_path == worker.LEASE_EXPIRED


@pytest.mark.scaleout  # the PostgreSQL pass, as a deployment runs it
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_no_job_and_duplicates_at_most_the_one_in_flight(queue, tmp_path):
    database_url = this_database_url()
    runs = tmp_path / "runs"
    jobs = 12
    for number in range(jobs):
        worker_tasks.record.enqueue(path=str(runs), number=number, seconds=0.3)
    connections.close_all()

    def lines() -> list[str]:
        return runs.read_text().split() if runs.exists() else []

    first = start_worker(database_url, lease=2)
    try:
        wait_for(lambda: len(lines()) >= 3, seconds=120)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    second = start_worker(database_url, lease=2)
    try:
        wait_for(lambda: len(set(lines())) == jobs, seconds=120)
        wait_for(
            lambda: DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).count() == 0, seconds=60
        )
    finally:
        second.terminate()
        second.wait(timeout=30)
        connections.close_all()
    done = lines()
    assert sorted(set(done), key=int) == [str(n) for n in range(jobs)]  # every job ran
    duplicates = len(done) - jobs
    assert duplicates <= 1, done  # only the job in flight when the worker died may run twice


@pytest.mark.django_db(transaction=True)  # the worker closes its broken connection
def test_the_worker_outlives_a_database_outage(queue, monkeypatch):
    """django-tasks-db's worker stops at the first connection error; ours waits and goes on."""
    from django.db import OperationalError

    worker_tasks.record.enqueue(path="/dev/null", number=1, seconds=0)
    ready = DBTaskResult.objects.ready
    outages = iter([OperationalError("server closed the connection unexpectedly")])

    def ready_or_outage():
        for error in outages:
            raise error
        return ready()

    monkeypatch.setattr(DBTaskResult.objects, "ready", ready_or_outage)
    monkeypatch.setattr(worker, "OUTAGE_PAUSE", 0)
    drain()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
