"""`{% valid_certificates_by_course request.user as certificates %}` for the learning dashboard.

Keyed by the course's translation key, so a course shown in English finds the certificate that
points at its Thai page. One query, however many courses the dashboard lists, compiled once per
process (training.precompiled): a completed course's page asks for it on every view.
"""

import uuid

from django import template

from certificates.models import Certificate
from training.precompiled import STAND_IN_INT, Precompiled

register = template.Library()

_valid_certificates = Precompiled(
    lambda user_id: (
        Certificate.objects.filter(volunteer_id=user_id, status=Certificate.Status.VALID)
        .values_list("course__translation_key", "token", "serial")
        .order_by()
    ),
    STAND_IN_INT,
)


@register.simple_tag
def valid_certificates_by_course(user) -> dict:
    if not user.is_authenticated:
        return {}
    # Raw rows: the translation key as the database keeps it (a UUID, or its hex digits on SQLite).
    return {
        str(uuid.UUID(str(key))): {"token": token, "serial": serial}
        for key, token, serial in _valid_certificates.rows(user.pk)
    }


@register.filter
def certificate_of(certificates: dict, course) -> dict | None:
    return certificates.get(str(course.translation_key))
