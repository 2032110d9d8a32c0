"""The session cookie is deleted only by the answer that ended the session (training/session_stores/
middleware.py): a request still carrying the key a sign-in has just replaced must not delete the new
session's cookie on its way back."""

import logging
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import make_volunteer
from training.session_stores.middleware import SessionMiddleware

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


def test_a_request_whose_person_signed_out_meanwhile_is_refused_without_a_cookie_or_an_error(caplog):
    """The service worker refreshing a course's offline copy while its person signs out: the
    request changed its session, which the sign-out deleted before it was saved."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session["signed_in"] = True
    session.save()
    request = RequestFactory().get("/learn/courses/1/offline/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = session.session_key

    def view(request):
        request.session["reader_time_zone"] = "Europe/Oslo"  # a change to save on the way out
        engine.SessionStore(request.session.session_key).delete()  # signed out meanwhile
        return HttpResponse("the person's course")

    with caplog.at_level(logging.INFO):
        response = SessionMiddleware(view)(request)
    assert response.status_code == 400
    assert b"the person's course" not in response.content
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "no-store" in response["Cache-Control"]
    assert [record.levelno for record in caplog.records] == [logging.INFO]
    assert all(record.exc_info is None for record in caplog.records)
