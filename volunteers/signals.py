"""Receivers: failed logins counted for throttling; leaders' sessions marked for the idle timeout."""

import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from training.middleware import LAST_ACTIVITY_KEY, LEADER_SESSION_FLAG
from volunteers.selectors import is_organization_leader
from volunteers.throttle import login_failure_record, login_failures_clear


@receiver(user_login_failed)
def count_login_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_failure_record(request, credentials.get("username") or credentials.get("email") or "")


@receiver(user_logged_in)
def clear_login_failures(sender, request, user, **kwargs):
    if request is not None:
        login_failures_clear(request, user)


@receiver(user_logged_in)
def mark_leader_sessions(sender, request, user, **kwargs):
    """An organisation leader's session times out like an admin's, wherever on the site they are."""
    if request is not None and hasattr(request, "session") and is_organization_leader(user):
        request.session[LEADER_SESSION_FLAG] = True
        request.session[LAST_ACTIVITY_KEY] = int(time.time())
