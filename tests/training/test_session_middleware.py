"""The session cookie is deleted only by the answer that ended the session (training/session_stores/
middleware.py): a request still carrying the key a sign-in has just replaced must not delete the new
session's cookie on its way back."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests.factories import make_volunteer

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-2026"


def test_a_request_with_a_replaced_session_key_leaves_the_cookie_alone(client):
    user = make_volunteer().user
    user.set_password(PASSWORD)
    user.save()
    stale = client.session
    stale["something"] = "before signing in"
    stale.save()
    old_key = stale.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = old_key
    client.force_login(user)  # replaces the session under a new key, as signing in does
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != old_key
    # A request that left before the sign-in answered: the old key, whose session is gone.
    client.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # neither deleted nor replaced


def test_signing_out_still_deletes_the_cookie(client):
    user = make_volunteer().user
    client.force_login(user)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value == "" and cookie["max-age"] == 0
    assert get_user_model().objects.filter(pk=user.pk).exists()
