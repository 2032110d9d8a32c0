from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Site")

    def ready(self):
        # Connects the sign-in receivers (admin idle timeout, staff's Bangkok time zone) and the check
        # that private files are never in the public media storage.
        from training import content_version, middleware, storage, time_zones  # noqa: F401
        from training.admin_dates import register_date_displays

        content_version.connect()
        register_date_displays()
