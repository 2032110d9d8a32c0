"""Certificates that expire: telling their holders before and when it happens.

A course may give its certificates a validity period (`CoursePage.certificate_valid_months`); the
certificate stores its `valid_until` at issue. Expiry is not a status: a valid certificate past
that moment reads as expired everywhere (the verify page, the credential's `validUntil`, the
holder's page, staff screens) with no job needed to flip it.

The scheduler runs `certificate_expiry_reminders_send` every hour. It tells each holder 60 and then
14 days before expiry, and once after it expired, with a link to the refresher course that renews
it. Each message is keyed by certificate and threshold, so two runs at once still send it once,
and the certificate keeps the last one sent (`expiry_notified_days`), so later runs skip it. A
certificate that enters a window late gets only the nearest reminder, not both at once. A person
inside their quiet hours (in their own time zone) is told by the first run after they end.
Revoked, replaced and withdrawn certificates, and people whose data was erased, get nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from certificates.models import Certificate
from certificates.notices import CERTIFICATE_EXPIRED, CERTIFICATE_EXPIRING, certificate_expiry_notify
from training.notices import in_quiet_window

logger = logging.getLogger(__name__)

REMINDER_DAYS = (60, 14)  # before expiry
EXPIRED = 0  # `expiry_notified_days` once the expiry notice went
# An expiry notice goes only for a certificate that expired this recently: switching the feature on,
# or a long outage, must not tell people about certificates that expired long ago.
EXPIRED_NOTICE_WITHIN = datetime.timedelta(days=7)


def _due(now: datetime.datetime):
    """Valid certificates of people not erased, that expire within 60 days or did lately, with a
    notice still to send."""
    return (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            volunteer__is_active=True,
            valid_until__gt=now - EXPIRED_NOTICE_WITHIN,
            valid_until__lte=now + datetime.timedelta(days=max(REMINDER_DAYS)),
        )
        .filter(Q(expiry_notified_days__isnull=True) | Q(expiry_notified_days__gt=EXPIRED))
        .exclude(volunteer__volunteer_profile__erased_at__isnull=False)
        .select_related("course__refresher_course")
        .order_by("valid_until", "pk")
    )


def notice_due(certificate: Certificate, now: datetime.datetime) -> int | None:
    """The notice the certificate's holder should have by `now`: 60 or 14 (days before), 0
    (expired); None when that one was sent already."""
    left = certificate.valid_until - now
    if left <= datetime.timedelta(0):
        days = EXPIRED
    else:
        days = min(threshold for threshold in REMINDER_DAYS if left <= datetime.timedelta(days=threshold))
    sent = certificate.expiry_notified_days
    return days if sent is None or days < sent else None


def certificate_expiry_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the expiry reminders and notices due at `now`; returns how many went, and how many wait
    for the end of their holder's quiet hours."""
    now = now or timezone.now()
    counts = {"expiring": 0, "expired": 0, "waiting_for_quiet_hours_to_end": 0}
    for certificate in _due(now).iterator():
        days = notice_due(certificate, now)
        if days is None:
            continue
        if in_quiet_window(certificate.volunteer_id, now):
            counts["waiting_for_quiet_hours_to_end"] += 1
            continue
        kind = CERTIFICATE_EXPIRED if days == EXPIRED else CERTIFICATE_EXPIRING
        try:
            with transaction.atomic():
                certificate_expiry_notify(certificate, kind=kind, days=days, key=f"{certificate.pk}:{days}")
                Certificate.objects.filter(pk=certificate.pk).update(expiry_notified_days=days)
        except Exception:  # one person's failure must not stop everyone else's reminder
            logger.exception(
                "The expiry notice of certificate %s failed; the next run tries again", certificate.pk
            )
            continue
        counts["expired" if days == EXPIRED else "expiring"] += 1
    if any(counts.values()):
        logger.info("Certificate expiry notices: %s", counts)
    return counts
