"""The notifications of certificates (training.notices): issued on completion, revoked, replaced."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from training.notices import VOLUNTEER, NoticeKind, kind_register, notify, per_language

CERTIFICATE_ISSUED = "certificate_issued"
CERTIFICATE_REVOKED = "certificate_revoked"
CERTIFICATE_REPLACED = "certificate_replaced"


def register() -> None:
    for name, label in (
        (CERTIFICATE_ISSUED, _("Your certificate is ready")),
        (CERTIFICATE_REVOKED, _("Your certificate has been revoked")),
        (CERTIFICATE_REPLACED, _("Your certificate has been replaced")),
    ):
        kind_register(
            NoticeKind(
                name=name, role=VOLUNTEER, templates=f"certificates/notices/{name}", label=label, link="link"
            )
        )


def _context(certificate: Certificate) -> dict:
    """What the person is told, as printed on the certificate; the link leads to it on their page."""
    return {
        "certificate_id": certificate.pk,
        "serial": certificate.serial,
        "course_title": {"th": certificate.course_title_th, "en": certificate.course_title_en},
        "link": per_language(lambda: f"{reverse('my_certificates')}#certificate-{certificate.serial}"),
    }


def certificate_issued_notify(certificate: Certificate, *, completed: bool) -> None:
    """`completed`: issued because the person completed the course (not by staff, by hand)."""
    notify(certificate.volunteer_id, CERTIFICATE_ISSUED, {**_context(certificate), "completed": completed})


def certificate_revoked_notify(certificate: Certificate) -> None:
    notify(
        certificate.volunteer_id,
        CERTIFICATE_REVOKED,
        {**_context(certificate), "reason": certificate.status_reason},
    )


def certificate_replaced_notify(old: Certificate, new: Certificate) -> None:
    notify(
        new.volunteer_id,
        CERTIFICATE_REPLACED,
        {**_context(new), "serial": old.serial, "new_serial": new.serial, "reason": old.status_reason},
    )
