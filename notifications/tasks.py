"""Background work: delivering a notification through its channels, and forgetting mail delivered
long ago. Tasks receive ids only, so no address or name is stored in a task queue."""

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


@task()
def notification_deliver(*, notification_id: int) -> None:
    """Deliver a notification through each channel of its kind that has not delivered it yet.

    The row is locked while it is delivered, so two workers running the task send it once; the
    mail is written to the outbox in the same transaction that records it as emailed.
    """
    from django.db import transaction

    from notifications.channels import channel_get
    from notifications.models import Notification
    from training.notices import kind_get

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return  # erased before it was delivered
        try:
            kind = kind_get(notification.kind)
        except LookupError:
            return  # a kind no longer sent
        for name in kind.channels:
            channel = channel_get(name)
            if channel is not None and not channel.delivered(notification):
                channel.deliver(notification, kind, notification.user)
