"""What notifications hold about a person: the mail sent to their address and whether it bounced,
the notifications they received, and what they chose to receive."""

from notifications.models import (
    Notification,
    NotificationPreferences,
    OutboxMessage,
    SuppressedAddress,
    normalise_address,
)
from volunteers.privacy import PrivacyProvider, register_privacy_provider


def messages_to(email: str) -> list[OutboxMessage]:
    """The outbox rows addressed to `email` (among their recipients)."""
    address = normalise_address(email)
    if not address:
        return []
    rows = OutboxMessage.objects.filter(recipients__icontains=address).order_by("created_at")
    return [row for row in rows if address in map(normalise_address, row.recipient_list())]


def export_mail(user) -> dict:
    return {
        "mail": [
            {
                "subject": row.subject,
                "status": row.status,
                "queued_at": row.created_at.isoformat(),
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in messages_to(user.email)
        ],
        "address_suppressed_after_bounce": SuppressedAddress.objects.filter(
            email=normalise_address(user.email)
        ).exists(),
    }


def erase_mail(user, identifiers: list[str]) -> None:
    emails = {normalise_address(item) for item in [user.email, *identifiers] if "@" in (item or "")}
    for email in emails:
        OutboxMessage.objects.filter(pk__in=[row.pk for row in messages_to(email)]).delete()
        SuppressedAddress.objects.filter(email=email).delete()


def export_notifications(user) -> dict:
    preferences = NotificationPreferences.objects.filter(user=user).first()
    return {
        "notifications": [
            {
                "kind": row.kind,
                "details": row.context,
                "created_at": row.created_at.isoformat(),
                "emailed_at": row.emailed_at.isoformat() if row.emailed_at else None,
                "read_at": row.read_at.isoformat() if row.read_at else None,
            }
            for row in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "preferences": {
            "kinds_turned_off": preferences.muted_kinds,
            "quiet_from_hour": preferences.quiet_start_hour,
            "quiet_until_hour": preferences.quiet_end_hour,
        }
        if preferences
        else None,
    }


def erase_notifications(user, identifiers: list[str]) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreferences.objects.filter(user=user).delete()


def register() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="notifications",
            models=(Notification, NotificationPreferences),
            export=export_notifications,
            erase=erase_notifications,
            order=240,
            notes={"notifications": "Notifications and notification preferences are deleted."},
        )
    )
    register_privacy_provider(
        PrivacyProvider(
            label="mail",
            models=(OutboxMessage, SuppressedAddress),
            export=export_mail,
            erase=erase_mail,
            order=250,
            notes={"mail": "Messages to the address are deleted, sent or not; so is a bounce on record."},
        )
    )
