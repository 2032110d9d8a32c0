"""Receivers: failed logins counted for throttling; the cached privacy notice version refreshed."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from volunteers.models import PrivacyNoticePage
from volunteers.selectors import NOTICE_VERSION_CACHE_KEY
from volunteers.throttle import login_failure_record, login_failures_clear


@receiver(user_login_failed)
def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_failure_record(request, credentials.get("username") or credentials.get("email") or "")


@receiver(user_logged_in)
def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        login_failures_clear(request, user)


@receiver(page_published, sender=PrivacyNoticePage)
@receiver(page_unpublished, sender=PrivacyNoticePage)
def forget_notice_version(sender, **kwargs):
    cache.delete(NOTICE_VERSION_CACHE_KEY)
