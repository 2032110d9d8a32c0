"""Whose stored sessions are whose: the account of each signed-in session, recorded when the session
gets a new key (sign-in, a password change, a second factor), so a person's own sessions are counted
and ended without decoding anyone else's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.utils import timezone

from volunteers.models import AccountSession

# The session key this session's account was last recorded under (a new key is recorded again).
RECORDED_SESSION_KEY = "_account_session_key"


def account_session_record(*, user_id: Any, session_key: str) -> bool:
    """Record that the stored session `session_key` is signed in as `user_id`; False when the
    session or the account is gone already (a concurrent sign-out, an erasure)."""
    try:
        pk = get_user_model()._meta.pk.to_python(user_id)
    except Exception:
        return False
    try:
        with transaction.atomic():
            AccountSession.objects.update_or_create(session_id=session_key, defaults={"user_id": pk})
    except IntegrityError:
        return False
    return True


def sessions_of(user: Any) -> QuerySet[Session]:
    """The stored sessions signed in as `user`: one indexed query, whatever else is stored."""
    return Session.objects.filter(account__user=user)


def active_session_count(user: Any) -> int:
    return sessions_of(user).filter(expire_date__gt=timezone.now()).count()


class AccountSessionMiddleware:
    """After each request that used a signed-in session, records its account when its key is new.

    The common case costs nothing: the session carries the key it was last recorded under."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed:
            return response
        user_id = session.get(SESSION_KEY)
        if user_id and not session.session_key:
            session.save()  # flushed by a sign-in as someone else: store it now to record it
        key = session.session_key
        recorded = session.get(RECORDED_SESSION_KEY)
        if user_id and key and recorded != key and account_session_record(user_id=user_id, session_key=key):
            session[RECORDED_SESSION_KEY] = key
        return response


@receiver(user_logged_in)
def record_signed_in_session(sender, request, user, **kwargs):
    """A sign-in outside the middleware's sight (the test client, a management command) is recorded too."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if key and account_session_record(user_id=user.pk, session_key=key):
        session[RECORDED_SESSION_KEY] = key
