"""Read paths for certificates."""

import datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max, QuerySet, prefetch_related_objects
from django.utils import timezone

from certificates.credentials import status_list_capacity
from certificates.models import Certificate, normalise_token
from training.precompiled import STAND_IN_INT, Precompiled
from volunteers.throttle import keyed_digest


def certificate_by_token(token: str, *, with_credential: bool = True) -> Certificate | None:
    """The certificate a public token names (dashes, spaces and case are ignored); one query.

    The verification page leaves the signed credential (a few kilobytes of JSON) unread.
    """
    token = normalise_token(token)
    if len(token) != 26:
        return None
    queryset = Certificate.objects.filter(token=token)
    if not with_credential:
        # The certificate that replaced it comes in the same query: the page links to it.
        queryset = queryset.select_related("superseded_by").defer(
            "credential",
            "pdf_sha256",
            "manual_reason",
            "status_reason",
            "superseded_by__credential",
            "superseded_by__snapshot",
            "superseded_by__pdf_sha256",
            "superseded_by__manual_reason",
            "superseded_by__status_reason",
        )
    return queryset.order_by().first()


_HOLDERS_CERTIFICATES = Precompiled(
    lambda pk: Certificate.objects.filter(volunteer_id=pk).order_by("-issued_at", "-pk"), STAND_IN_INT
)


def holders_certificates(volunteer, *, renew_from: datetime.datetime) -> list[Certificate]:
    """A holder's certificates, newest first, for their own list: one precompiled query, then only
    when some need them, the certificate that replaced a superseded one and the refresher course
    of one that expires by `renew_from` (a join of four pages' columns took longer to build than
    the rest of the page)."""
    certificates = _HOLDERS_CERTIFICATES.objects(volunteer.pk)
    superseded = [c for c in certificates if c.superseded_by_id is not None]
    prefetch_related_objects(superseded, "superseded_by")
    renewing = [c for c in certificates if c.valid_until is not None and c.valid_until <= renew_from]
    prefetch_related_objects(renewing, "course__refresher_course")
    return certificates


def revoked_status_indexes() -> set[int]:
    """Bits set in the revocation list: every certificate that is no longer valid."""
    return set(
        Certificate.objects.exclude(status=Certificate.Status.VALID).values_list(
            "status_list_index", flat=True
        )
    )


def status_list_size() -> int:
    """Bits in the published revocation list: the capacity new indexes are drawn from, and at least
    every index given so far (certificates issued before indexes were random have their id)."""
    totals = Certificate.objects.aggregate(count=Count("pk"), last=Max("status_list_index"))
    highest = totals["last"] if totals["last"] is not None else -1
    return max(status_list_capacity(totals["count"]), (highest // 8 + 1) * 8)


def verify_page_cache_key(token: str) -> str:
    """Where the public verification page of a certificate is cached for visitors (one entry),
    named by a keyed digest of its code: the view reads it in the same round trip as the client's
    misses, before the database says which certificate the code is."""
    return f"verify-page:{keyed_digest(normalise_token(token))}"


def certificates_for_staff() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("volunteer", "course", "status_changed_by", "issued_by")


class CertificateState(NamedTuple):
    pk: int
    status: str
    name_hidden: bool
    updated_at: datetime.datetime | str
    expired: bool  # past its valid_until now: a page cached before expiry no longer matches


def certificate_state(token: str) -> CertificateState | None:
    """What decides the public verification page, in one cheap query.

    The page is the hottest public path (anyone scanning a QR code), so it skips the ORM: the
    rendered page is cached under these values and rebuilt only when one of them changes.
    """
    token = normalise_token(token)
    if len(token) != 26:
        return None
    table = connection.ops.quote_name(Certificate._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, status, name_hidden, updated_at, "  # noqa: S608 (model's table)
            "CASE WHEN valid_until IS NOT NULL AND valid_until < %s THEN 1 ELSE 0 END "
            f"FROM {table} WHERE token = %s",
            [now, token],
        )
        row = cursor.fetchone()
    return CertificateState(*row[:4], bool(row[4])) if row else None
