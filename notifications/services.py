"""Writes of the notification centre: reading notifications and choosing what to receive."""

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, NotificationPreferences


def notifications_mark_all_read(*, user) -> int:
    """Mark every shown, unread notification of the person read; returns how many."""
    return Notification.objects.filter(user=user, shown_at__isnull=False, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@transaction.atomic
def notification_preferences_save(
    *, user, muted_kinds: list[str], quiet_start_hour: int | None, quiet_end_hour: int | None
) -> NotificationPreferences:
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(user=user)
    preferences.muted_kinds = sorted(set(muted_kinds))
    preferences.quiet_start_hour, preferences.quiet_end_hour = quiet_start_hour, quiet_end_hour
    preferences.save()
    return preferences


@transaction.atomic
def notification_kind_mute(*, user_id: int, kind_name: str) -> bool:
    """Turn one optional kind off for the person (their unsubscribe link); False when it was off."""
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(user_id=user_id)
    if kind_name in preferences.muted_kinds:
        return False
    preferences.muted_kinds = sorted({*preferences.muted_kinds, kind_name})
    preferences.save(update_fields=["muted_kinds", "updated_at"])
    return True
