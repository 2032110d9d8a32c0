"""Receivers: failed logins counted for throttling."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from volunteers.throttle import login_failure_record, login_failures_clear


@receiver(user_login_failed)
def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_failure_record(request, credentials.get("username") or credentials.get("email") or "")


@receiver(user_logged_in)
def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        login_failures_clear(request, user)
