"""Read paths of the notification centre."""

from django.db.models import QuerySet

from notifications.models import Notification, NotificationPreferences
from training.notices import STAFF, TRAINER, VOLUNTEER, NoticeKind, kinds

# The Wagtail groups that make a person a trainer or staff (their migrations create them).
ROLE_GROUPS = {
    "Trainers": TRAINER,
    "Lead trainers": TRAINER,
    "Staff": STAFF,
    # Staff limited to some countries (volunteers.coordinators.COORDINATORS_GROUP): staff's notices.
    "Country coordinators": STAFF,
}


def notifications_shown_to(user) -> QuerySet[Notification]:
    """The person's notifications in the centre, newest first."""
    return Notification.objects.filter(user=user, shown_at__isnull=False).order_by("-created_at", "-pk")


def roles_of(user) -> set[str]:
    roles = {ROLE_GROUPS[name] for name in user.groups.values_list("name", flat=True) if name in ROLE_GROUPS}
    return roles or {VOLUNTEER}


def optional_kinds_for(user) -> list[NoticeKind]:
    """The kinds this person may turn off: the optional ones sent to people in their roles."""
    roles = roles_of(user)
    return [kind for kind in kinds() if kind.optional and kind.role in roles]


def preferences_of(user) -> NotificationPreferences:
    return NotificationPreferences.objects.filter(user=user).first() or NotificationPreferences(user=user)
