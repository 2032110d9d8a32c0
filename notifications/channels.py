"""The ways a notification reaches a person. Each channel delivers one notification once and says so
on its row; the kind of the notification lists the channels it goes through.

Email and the in-app centre exist; LINE is the next one (docs/notifications.md says what it needs).
"""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notification
from notifications.rendering import notice_context, recipient_language
from training.notices import EMAIL, IN_APP, NoticeKind, unsubscribe_token


class Channel:
    """One way to reach a person: `deliver` sends the notification, unless it was already sent."""

    name: str = ""

    def delivered(self, notification: Notification) -> bool:
        raise NotImplementedError

    def deliver(self, notification: Notification, kind: NoticeKind, user) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    """The notification centre: a delivered notification is shown, and counts as unread."""

    name = IN_APP

    def delivered(self, notification: Notification) -> bool:
        return notification.shown_at is not None

    def deliver(self, notification: Notification, kind: NoticeKind, user) -> None:
        notification.shown_at = timezone.now()
        notification.save(update_fields=["shown_at"])


def sender(language: str) -> str:
    """DEFAULT_FROM_EMAIL under the ministry's name in the recipient's language (unless it names one)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name or not address:
        return settings.DEFAULT_FROM_EMAIL
    name = settings.NOTICE_SENDER_NAMES.get(language) or settings.NOTICE_SENDER_NAMES.get(
        settings.LANGUAGE_CODE
    )
    if not name:
        return settings.DEFAULT_FROM_EMAIL
    username, _at, domain = address.rpartition("@")
    return str(Address(display_name=name, username=username, domain=domain))


class EmailChannel(Channel):
    """Mail through Django's mail API, so it is written to the outbox in the same transaction."""

    name = EMAIL

    def delivered(self, notification: Notification) -> bool:
        return notification.emailed_at is not None

    def deliver(self, notification: Notification, kind: NoticeKind, user) -> None:
        if not user.is_active or not user.email:
            return
        language = recipient_language(user.pk)
        headers = {}
        with translation.override(language):
            context = notice_context(notification, kind, language, absolute=True)
            if kind.optional:
                # One click stops this kind: a link in the message, and RFC 8058's headers for the
                # mail program's own "Unsubscribe" button (a POST from the provider, no sign-in).
                url = settings.SITE_URL + reverse(
                    "notification_unsubscribe", args=[unsubscribe_token(user.pk, kind.name)]
                )
                context["unsubscribe_url"] = url
                headers["List-Unsubscribe"] = f"<{url}>"
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            subject = " ".join(render_to_string(f"{kind.templates}_subject.txt", context).split())
            text = render_to_string(f"{kind.templates}.txt", context)
            html = render_to_string(f"{kind.templates}.html", context)
        if kind.email_headers:
            headers.update(kind.email_headers(user.pk, notification.context))
        message = EmailMultiAlternatives(
            subject, text, sender(language), [user.email], headers=headers or None
        )
        message.attach_alternative(html, "text/html")
        message.send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


_channels: dict[str, Channel] = {}


def channel_register(channel: Channel) -> None:
    _channels[channel.name] = channel


def channel_get(name: str) -> Channel | None:
    return _channels.get(name)


channel_register(InAppChannel())
channel_register(EmailChannel())
