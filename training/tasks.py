"""Background work of the site itself: daily housekeeping, run by the scheduler (training.scheduler)."""

import datetime
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task

# How long the record of each scheduled run is kept (for operators reading what ran when).
SCHEDULED_RUNS_KEPT = datetime.timedelta(days=30)


@task()
def housekeeping() -> dict[str, int]:
    """Delete expired sessions and scheduled-run records older than `SCHEDULED_RUNS_KEPT`."""
    from training.models import ScheduledRun

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    deleted, _by_model = ScheduledRun.objects.filter(slot__lt=timezone.now() - SCHEDULED_RUNS_KEPT).delete()
    return {"scheduled_runs_deleted": deleted}


@task()
def backup_nightly() -> dict[str, str]:
    """The nightly encrypted backup (training/backups.py), scheduled when BACKUP_AGE_RECIPIENTS is set."""
    from training.backups import backup_create

    return {"backup": backup_create()}
