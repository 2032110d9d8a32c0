"""Turning a notification's plain data into words, in the language of whoever reads it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from notifications.models import Notification
from training.notices import NoticeKind
from volunteers.models import VolunteerProfile


def recipient_language(user_id: int) -> str:
    """The person's preferred language (their volunteer profile), else the site's first one."""
    language = (
        VolunteerProfile.objects.filter(user_id=user_id).values_list("preferred_language", flat=True).first()
    )
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def localise(value, language: str):
    """A mapping of language code to text becomes the text in `language` (Thai when it is missing)."""
    if isinstance(value, dict) and value and set(value) <= set(dict(settings.LANGUAGES)):
        return value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()))
    if isinstance(value, list):
        return [localise(item, language) for item in value]
    return value


def notice_context(notification: Notification, kind: NoticeKind, language: str, *, absolute: bool) -> dict:
    """The template context: the sender's data in `language`, the link (absolute for mail)."""
    context = {name: localise(value, language) for name, value in notification.context.items()}
    link = context.get(kind.link, "") if kind.link else ""
    if link and absolute and link.startswith("/"):
        link = settings.SITE_URL + link
    context.update(link=link, site_url=settings.SITE_URL, notification=notification)
    return context


def notification_line(notification: Notification, kind: NoticeKind, language: str) -> SafeString:
    """The notification's line in the centre (escaped by the template like any page)."""
    context = notice_context(notification, kind, language, absolute=False)
    return SafeString(render_to_string(f"{kind.templates}_line.html", context).strip())
