"""Background work for certificates: storing PDFs after the issuing transaction commits."""

from django_tasks import task


@task()
def certificate_pdf_store_task(certificate_id: int) -> bool:
    from certificates.models import Certificate
    from certificates.services import certificate_pdf_store

    certificate = Certificate.objects.filter(pk=certificate_id).first()
    return bool(certificate) and certificate_pdf_store(certificate=certificate)
