"""Read paths for certificates."""

from django.db.models import QuerySet

from certificates.models import Certificate, normalise_token


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate a public token names (dashes, spaces and case are ignored); one query."""
    token = normalise_token(token)
    if len(token) != 26:
        return None
    return Certificate.objects.filter(token=token).first()


def certificates_of(volunteer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(volunteer=volunteer).order_by("-issued_at")


def revoked_status_indexes() -> set[int]:
    """Bits set in the revocation list: every certificate that is no longer valid."""
    return set(Certificate.objects.exclude(status=Certificate.Status.VALID).values_list("pk", flat=True))


def certificates_for_staff() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("volunteer", "course", "status_changed_by", "issued_by")
