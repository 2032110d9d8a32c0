"""The backend behind `training.notices.notify`: a notification row in the caller's transaction, then
its channels after the commit (a task that carries the row's id only), and the quiet hours."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from notifications.models import Notification, NotificationPreferences
from notifications.tasks import notification_deliver
from training.notices import NoticeKind
from training.queue import enqueue_with_data
from volunteers.models import VolunteerProfile


def muted(user_id: int, kind: NoticeKind) -> bool:
    """Whether the person turned this kind off (only optional kinds can be)."""
    if not kind.optional:
        return False
    kinds = (
        NotificationPreferences.objects.filter(user_id=user_id).values_list("muted_kinds", flat=True).first()
    )
    return kind.name in (kinds or [])


def reader_zone(user_id: int) -> ZoneInfo:
    """The person's own time zone (their profile's, else their country's), else Bangkok's."""
    profile = VolunteerProfile.objects.filter(user_id=user_id).only("time_zone", "country").first()
    name = profile.reader_time_zone if profile is not None else ""
    try:
        return ZoneInfo(name or settings.DISPLAY_TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.DISPLAY_TIME_ZONE)


def _quiet_hours(user_id: int) -> tuple[int, int] | None:
    hours = (
        NotificationPreferences.objects.filter(user_id=user_id)
        .values_list("quiet_start_hour", "quiet_end_hour")
        .first()
    )
    if not hours or None in hours or hours[0] == hours[1]:
        return None
    return hours


def hour_is_quiet(hour: int, start: int, end: int) -> bool:
    """Quiet from `start` up to `end` o'clock; 22 to 7 crosses midnight."""
    return start <= hour < end if start < end else hour >= start or hour < end


class NotificationsBackend:
    """What `notifications` plugs into `training.notices`."""

    def send(self, *, user_id: int, kind: NoticeKind, context: dict, key: str) -> None:
        if muted(user_id, kind):
            return
        try:
            with transaction.atomic():  # a savepoint: a repeated key must not break the caller's transaction
                notification = Notification.objects.create(
                    user_id=user_id, kind=kind.name, context=context, key=key
                )
        except IntegrityError:
            return  # this person was already told (the same key)
        enqueue_with_data(notification_deliver, notification_id=notification.pk)

    def in_quiet_window(self, *, user_id: int, at: datetime.datetime) -> bool:
        hours = _quiet_hours(user_id)
        return hours is not None and hour_is_quiet(at.astimezone(reader_zone(user_id)).hour, *hours)

    def next_allowed(self, *, user_id: int, at: datetime.datetime) -> datetime.datetime:
        hours = _quiet_hours(user_id)
        local = at.astimezone(reader_zone(user_id))
        if hours is None or not hour_is_quiet(local.hour, *hours):
            return at
        end = local.replace(hour=hours[1], minute=0, second=0, microsecond=0)
        if end <= local:
            end = (local + datetime.timedelta(days=1)).replace(
                hour=hours[1], minute=0, second=0, microsecond=0
            )
        return end.astimezone(datetime.UTC)
