from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """The register of people and organisations that every other app refers to."""

    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from training.dates import register_country_namer
        from volunteers import (
            sessions,  # noqa: F401  (records whose sessions are whose at sign-in)
            signals,  # noqa: F401  (login throttling listens to auth signals)
            two_factor,  # noqa: F401  (registers its deployment check)
        )
        from volunteers.countries import country_name
        from volunteers.privacy_providers import register_core_providers

        register_core_providers()
        register_country_namer(country_name)
