from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion certificates: issuing, PDF, signed credentials, verification and revocation."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from certificates import privacy_providers, report_columns
        from certificates.services import issue_on_completion
        from courses.learning.completion import register_completion_listener

        register_completion_listener("certificates", issue_on_completion)
        privacy_providers.register()
        report_columns.register()
