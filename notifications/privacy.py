"""What the outbox holds about a person: the mail sent to their address, and whether it bounced."""

from notifications.models import OutboxMessage, SuppressedAddress, normalise_address
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


def register() -> None:
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
