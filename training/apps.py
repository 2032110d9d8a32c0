from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Site")

    def ready(self):
        # Connects the sign-in receiver that marks admin sessions for the idle timeout.
        from training import content_version, middleware  # noqa: F401

        content_version.connect()
