import datetime

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from notifications import privacy
        from notifications.delivery import deliver_due
        from notifications.models import OutboxMessage
        from notifications.sending import NotificationsBackend
        from notifications.tasks import outbox_purge
        from training.notices import notice_backend_register
        from training.observability.metrics import status_counts_register
        from training.scheduler import job_register
        from training.worker import loop_register

        privacy.register()
        status_counts_register(
            "training_mail_messages",
            "Mail in the outbox, by status (failed: given up after every retry).",
            OutboxMessage,
        )
        # Every app's notify() (training.notices) comes here: no app imports this one.
        notice_backend_register(NotificationsBackend())
        # Every worker delivers the outbox beside the tasks it runs.
        loop_register("outbox", deliver_due, every=datetime.timedelta(seconds=settings.OUTBOX_POLL_SECONDS))
        # Daily at 03:30 Bangkok time: what was delivered long ago is forgotten.
        job_register(
            "outbox_purge",
            outbox_purge,
            every=datetime.timedelta(days=1),
            offset=datetime.timedelta(hours=20, minutes=30),
        )
