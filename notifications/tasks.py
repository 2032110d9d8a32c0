"""Scheduled work of the outbox: forgetting what was delivered long ago."""

import datetime

from django.utils import timezone
from django_tasks import task

# How long the record of a delivered message (addresses, subject, when) is kept.
SENT_KEPT = datetime.timedelta(days=30)


@task()
def outbox_purge() -> dict[str, int]:
    """Delete the records of messages delivered more than `SENT_KEPT` ago."""
    from notifications.models import OutboxMessage

    deleted, _by_model = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENT, sent_at__lt=timezone.now() - SENT_KEPT
    ).delete()
    return {"sent_messages_deleted": deleted}
