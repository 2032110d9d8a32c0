import datetime

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Site")

    def ready(self):
        # Connects the sign-in receivers (admin idle timeout, staff's Bangkok time zone) and the check
        # that private files are never in the public media storage.
        from django.db.models.signals import post_migrate

        from training import checks, content_version, middleware, storage, time_zones  # noqa: F401
        from training.admin_dates import register_date_displays
        from training.observability import errors
        from training.scheduler import job_register
        from training.spreadsheets import protect_wagtail_exports
        from training.tasks import backup_nightly, housekeeping
        from training.worker import loop_register, sweep_every, sweep_expired_leases

        # Every worker puts back the tasks a dead worker left running.
        loop_register("lease-sweeper", sweep_expired_leases, every=sweep_every())
        content_version.connect()
        # Errors go to Sentry too when SENTRY_DSN is set, from every process that loads the site.
        errors.start()
        post_migrate.connect(checks.create_shared_cache_table, sender=self)
        register_date_displays()
        protect_wagtail_exports()
        if settings.BACKUP_AGE_RECIPIENTS:
            # Daily at 02:00 Bangkok time (19:00 UTC), an hour before housekeeping.
            job_register(
                "backup",
                backup_nightly,
                every=datetime.timedelta(days=1),
                offset=datetime.timedelta(hours=19),
            )
        # Daily at 03:00 Bangkok time (20:00 UTC), when volunteers in Europe and Thailand are asleep.
        job_register(
            "housekeeping",
            housekeeping,
            every=datetime.timedelta(days=1),
            offset=datetime.timedelta(hours=20),
        )
