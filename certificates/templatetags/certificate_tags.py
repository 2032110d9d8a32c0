"""`{% valid_certificates_by_course request.user as certificates %}` for the learning dashboard.

Keyed by the course's translation key, so a course shown in English finds the certificate that
points at its Thai page. One query, however many courses the dashboard lists.
"""

from django import template

from certificates.models import Certificate

register = template.Library()


@register.simple_tag
def valid_certificates_by_course(user) -> dict:
    if not user.is_authenticated:
        return {}
    rows = Certificate.objects.filter(volunteer=user, status=Certificate.Status.VALID).values_list(
        "course__translation_key", "token", "serial"
    )
    return {str(key): {"token": token, "serial": serial} for key, token, serial in rows}


@register.filter
def certificate_of(certificates: dict, course) -> dict | None:
    return certificates.get(str(course.translation_key))
