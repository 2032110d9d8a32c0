from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion certificates: issuing, PDF, signed credentials, verification and revocation."""

    name = "certificates"
    verbose_name = _("Certificates")
