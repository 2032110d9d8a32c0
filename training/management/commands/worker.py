"""Run background tasks from the database queue, with retries and a lease (training.worker)."""

import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from training import worker


class Command(DatabaseWorkerCommand):
    help = (
        "Run tasks from the database queue: failed tasks are retried with backoff, and tasks left "
        "running by a worker that died run again once their lease expires."
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
        sweeper = threading.Thread(
            target=worker.sweep_forever, args=(stop,), name="lease-sweeper", daemon=True
        )
        sweeper.start()
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
            sweeper.join(timeout=5)
