"""The data export costs the same whoever else is signed in, and a person cannot repeat it without
end (issue 19, item 7).

The export counted a person's sessions by decoding every stored session: 1 to 1.8 s with 20,000
sessions, repeatable by any volunteer. Sessions now record their account when they get a key.
"""

from importlib import import_module
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD, make_user, make_volunteer
from volunteers.sessions import active_session_count

pytestmark = pytest.mark.django_db

EXPORT = "/accounts/profile/my-data.json"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def other_sessions(count: int) -> None:
    """`count` sessions of other people, stored as a sign-in stores them."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    others = [make_user() for _ in range(3)]
    for n in range(count):
        session = store()
        session["_auth_user_id"] = str(others[n % 3].pk)
        session.create()


def export(client) -> tuple[int, int, dict]:
    """Export once: how many sessions were decoded, how many queries ran, and the export."""
    decode = SessionBase.decode
    with (
        mock.patch.object(SessionBase, "decode", autospec=True, side_effect=decode) as decoded,
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(EXPORT)
    assert response.status_code == 200
    return decoded.call_count, len(queries), response.json()["data"]


def test_the_export_decodes_no_one_elses_sessions_and_its_queries_do_not_grow(client):
    volunteer = make_volunteer().user
    assert client.login(email=volunteer.email, password=PASSWORD)
    other_sessions(5)
    export(client)  # the first request of a session does more (recording it, warming caches)
    decoded_few, queries_few, _data = export(client)
    other_sessions(120)
    decoded_many, queries_many, data = export(client)

    assert decoded_many == decoded_few <= 1  # at most the request's own session
    assert queries_many == queries_few
    assert data["account"]["active_sessions"] == 1


def test_the_export_counts_each_of_the_persons_own_sessions(client):
    volunteer = make_volunteer().user
    assert client.login(email=volunteer.email, password=PASSWORD)
    phone = Client()
    # Signed in through the login form on a second device.
    response = phone.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert export(client)[2]["account"]["active_sessions"] == 2

    # A password change gives the phone's session a new key: still counted, once.
    new_password = "a-new-phrase-for-2026"
    response = phone.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert export(phone)[2]["account"]["active_sessions"] == 2
    phone.post("/accounts/logout/")
    assert active_session_count(volunteer) == 1


def test_exports_are_limited_per_person_with_a_clear_429(client):
    volunteer = make_volunteer().user
    assert client.login(email=volunteer.email, password=PASSWORD)
    for _ in range(5):
        assert client.get(EXPORT).status_code == 200
    response = client.get(EXPORT)
    assert response.status_code == 429
    assert "คุณดาวน์โหลดข้อมูลของคุณหลายครั้งแล้ว" in response.content.decode()
    assert client.get("/en" + EXPORT).status_code == 429
    assert "You have downloaded your data several times" in client.get("/en" + EXPORT).content.decode()

    other = Client()
    assert other.login(email=make_volunteer().user.email, password=PASSWORD)
    assert other.get(EXPORT).status_code == 200


def test_sessions_stored_before_the_upgrade_are_recorded_once_by_the_migration():
    from django.apps import apps

    from volunteers.models import AccountSession

    migration = import_module("volunteers.migrations.0006_account_sessions")
    volunteer = make_volunteer().user
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(volunteer.pk)
    store.create()
    anonymous = import_module(settings.SESSION_ENGINE).SessionStore()
    anonymous["cart"] = "nothing"
    anonymous.create()
    AccountSession.objects.all().delete()

    migration.record_existing_sessions(apps, None)

    assert list(AccountSession.objects.values_list("session_id", "user_id")) == [
        (store.session_key, volunteer.pk)
    ]
    assert active_session_count(volunteer) == 1
