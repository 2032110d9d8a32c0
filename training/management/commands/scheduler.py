"""Run the periodic jobs the apps declare (training.scheduler) until stopped."""

import os
import signal
import socket

from django.core.management.base import BaseCommand

from training import scheduler


class Command(BaseCommand):
    help = "Run periodic jobs: claim each job's slot once across every scheduler, and enqueue its task."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Tick once and exit.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between ticks (15).")

    def handle(self, *args, once: bool = False, interval: float = 15.0, **options):
        owner = f"{socket.gethostname()}:{os.getpid()}"
        if once:
            for outcome in scheduler.tick(owner=owner):
                self.stdout.write(
                    f"{outcome.job} {outcome.action} for the slot at {outcome.slot.isoformat()}"
                )
            return
        stopping = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stopping.append(True))
        names = ", ".join(sorted(scheduler.JOBS)) or "none"
        self.stdout.write(f"Scheduler {owner} running jobs: {names}")
        scheduler.run_forever(owner=owner, interval=interval, should_stop=lambda: bool(stopping))
        self.stdout.write("Scheduler stopped.")
