from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Site")

    def ready(self):
        # Connects the sign-in receiver that marks admin sessions for the idle timeout, and the
        # check that private files are never in the public media storage.
        from training import content_version, middleware, storage  # noqa: F401

        content_version.connect()
