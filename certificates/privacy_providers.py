"""What certificates hold about a person: exported on request, withdrawn on erasure."""

from django.utils.translation import gettext_lazy

from certificates.models import Certificate
from certificates.services import certificate_withdraw_for_erasure
from volunteers.privacy import PrivacyProvider, register_privacy_provider
from volunteers.records import RecordSection, register_record_section


def export_certificates(user) -> dict:
    return {
        "certificates": [
            {
                "serial": certificate.serial,
                "course": certificate.course_title_th,
                "course_en": certificate.course_title_en,
                "name_th_as_printed": certificate.holder_name_th,
                "name_en_as_printed": certificate.holder_name_en,
                "issued_at": certificate.issued_at.isoformat(),
                "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
                "renews_serial": certificate.renews_serial,
                "status": certificate.status,
                "name_hidden_on_public_page": certificate.name_hidden,
                "verify_token": certificate.token,
            }
            for certificate in Certificate.objects.filter(volunteer=user).order_by("issued_at")
        ]
    }


def erase_certificates(user, identifiers: list[str]) -> None:
    certificate_withdraw_for_erasure(volunteer=user)


def record_section_context(profile) -> dict:
    return {"certificates": list(Certificate.objects.filter(volunteer=profile.user).order_by("-issued_at"))}


def register() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="certificates",
            models=(Certificate,),
            export=export_certificates,
            erase=erase_certificates,
            order=300,
            notes={"certificates": "Stay verifiable as 'withdrawn', without a name, credential or PDF."},
        )
    )
    register_record_section(
        RecordSection(
            key="certificates",
            label=gettext_lazy("Certificates"),
            template_name="certificates/admin/record_certificates.html",
            get_context=record_section_context,
            order=40,
        )
    )
