"""A database that cannot be reached is a temporary outage: 503 with Retry-After and a translated
page, never a 500 traceback; connections are health-checked so a restarted database is reconnected."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.factories import PASSWORD, make_volunteer
from tests.training.test_settings import run_python

pytestmark = pytest.mark.django_db


def signed_in_client():
    client = Client(raise_request_exception=False)
    client.force_login(make_volunteer().user)
    return client


@pytest.mark.parametrize(
    "error", [OperationalError("connection refused"), InterfaceError("connection closed")]
)
def test_a_database_outage_is_answered_503_with_retry_after(error):
    client = signed_in_client()
    with mock.patch("courses.learning.views.learning_dashboard", side_effect=error):
        response = client.get("/learn/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert 'lang="th"' in text
    assert "Traceback" not in text and "connection refused" not in text


def test_the_outage_page_is_in_the_readers_language():
    client = signed_in_client()
    with mock.patch("courses.learning.views.learning_dashboard", side_effect=OperationalError("down")):
        response = client.get("/en/learn/")
    assert response.status_code == 503
    assert "The service is briefly unavailable" in response.content.decode()


def test_an_outage_while_a_middleware_reads_the_session_is_also_503():
    client = signed_in_client()
    with mock.patch(f"{settings.SESSION_ENGINE}.SessionStore.load", side_effect=OperationalError("down")):
        response = client.get("/learn/")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_other_failures_stay_plain_500_pages():
    client = signed_in_client()
    with mock.patch("courses.learning.views.learning_dashboard", side_effect=ValueError("a bug")):
        response = client.get("/learn/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "a bug" not in response.content.decode()


@pytest.mark.parametrize("settings_module", ["training.settings.dev", "training.settings.production"])
def test_postgresql_connections_are_health_checked_before_reuse(settings_module):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = run_python(
        code,
        settings_module,
        DATABASE_URL="postgres://app:secret@db.internal:5432/training",
        SECRET_KEY="s" * 50,
        CERTIFICATE_SIGNING_KEY="z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_a_sign_in_cut_short_by_the_outage_can_simply_be_sent_again():
    """Signing in rotates the CSRF token before the last-login row is written; when that write meets
    the outage, the 503 must not hand the browser the new token, or the retry it asks for (the same
    form, sent again) is refused 403."""
    from django.contrib.auth.signals import user_logged_in

    volunteer = make_volunteer()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    form = client.get("/accounts/login/")
    token = form.context["csrf_token"]
    fields = {"username": volunteer.user.email, "password": PASSWORD, "csrfmiddlewaretoken": str(token)}

    def outage(**kwargs):
        raise OperationalError("the database went away")

    user_logged_in.connect(outage, dispatch_uid="outage")
    try:
        response = client.post("/accounts/login/", fields)
    finally:
        user_logged_in.disconnect(dispatch_uid="outage")
    assert response.status_code == 503
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    retried = client.post("/accounts/login/", fields)
    assert retried.status_code == 302
