from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Completion certificates: issuing, PDF, signed credentials, verification and revocation."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from certificates import members, notices, privacy_providers, report_columns, requirements
        from certificates.models import Certificate
        from certificates.services import issue_on_completion, issue_on_email_confirmed
        from certificates.tasks import certificate_expiry_reminders_task, certificates_render_pending_task
        from courses.learning.completion import register_completion_listener
        from training.observability.metrics import status_counts_register
        from training.scheduler import job_register
        from volunteers.confirmation import register_email_confirmed_listener
        from volunteers.coordinators import scoped_model_register

        register_completion_listener("certificates", issue_on_completion)
        status_counts_register("training_certificates", "Certificates, by status.", Certificate)
        # A completion before the address was confirmed is certified when it is confirmed.
        register_email_confirmed_listener("certificates", issue_on_email_confirmed)
        # PDFs that could not be stored while storage was down are stored once it answers again.
        job_register(
            "certificates_render_pending", certificates_render_pending_task, every=timedelta(minutes=10)
        )
        # Expiry reminders: every hour, so a holder in their quiet hours is told by the first run
        # after they end (each notice goes once: certificates.expiry).
        job_register(
            "certificate_expiry_reminders",
            certificate_expiry_reminders_task,
            every=timedelta(hours=1),
            offset=timedelta(minutes=15),
            catch_up=False,
        )
        privacy_providers.register()
        report_columns.register()
        notices.register()
        requirements.register()
        members.register()
        # A certificate belongs to its holder's country: coordinators see their countries' only.
        scoped_model_register(Certificate, "volunteer__volunteer_profile__country")
