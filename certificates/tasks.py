"""Background work for certificates: storing PDFs after the issuing transaction commits, and the
expiry reminders."""

from django_tasks import task


@task()
def certificate_pdf_store_task(certificate_id: int) -> bool:
    from certificates.models import Certificate
    from certificates.services import certificate_pdf_store

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    return bool(certificate) and certificate_pdf_store(certificate=certificate)


@task()
def certificates_render_pending_task() -> dict[str, int]:
    """Store the PDFs that could not be stored when their certificates were issued (run by the
    scheduler every ten minutes, so a storage outage heals without an operator)."""
    from certificates.services import certificates_render_pending

    stored, failed = certificates_render_pending()
    return {"stored": stored, "failed": failed}


@task()
def certificate_expiry_reminders_task() -> dict[str, int]:
    """Remind holders 60 and 14 days before their certificates expire, and tell them when one has
    (run by the scheduler every hour)."""
    from certificates.expiry import certificate_expiry_reminders_send

    return certificate_expiry_reminders_send()
