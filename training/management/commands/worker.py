"""Run background tasks from the database queue, with retries and a lease, and the registered loops
(the lease sweeper, the mail outbox) beside them (training.worker)."""

import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from training import worker


class Command(DatabaseWorkerCommand):
    help = (
        "Run tasks from the database queue: failed tasks are retried with backoff, and tasks left "
        "running by a worker that died run again once their lease expires. Mail in the outbox is "
        "delivered beside the tasks."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        **options,
    ):
        self.configure_logging(verbosity)
        stop = threading.Event()
        loops = worker.start_loops(stop)  # the lease sweeper, the mail outbox (worker.LOOPS)
        runner = worker.Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
        )
        runner.configure_signals()
        try:
            runner.run()
        finally:
            stop.set()
            for loop in loops:
                loop.join(timeout=5)
