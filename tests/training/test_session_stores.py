"""The session stores (training.session_stores) read sessions as Django's database stores do: a
live session is read, an expired or unknown one is not and gets a new key when saved."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone

from training.session_stores import cached_db, db

pytestmark = pytest.mark.django_db

STORES = [db.SessionStore, cached_db.SessionStore]


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()


@pytest.mark.parametrize("store", STORES)
def test_a_live_session_is_read(store):
    session = store()
    session["who"] = "volunteer"
    session.create()
    caches["default"].clear()  # cached_db: read from the database
    assert store(session.session_key)["who"] == "volunteer"


@pytest.mark.parametrize("store", STORES)
def test_an_expired_session_is_not_read_and_is_saved_under_a_new_key(store):
    session = store()
    session["who"] = "volunteer"
    session.create()
    caches["default"].clear()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = store(session.session_key)
    assert expired.get("who") is None
    expired["who"] = "someone else"
    expired.save()
    assert expired.session_key != session.session_key


@pytest.mark.parametrize("store", STORES)
def test_an_unknown_or_missing_key_reads_nothing(store):
    assert store("x" * 32).load() == {}
    assert store(None).load() == {}


def test_signing_in_and_out_through_the_site_still_works(client):
    from tests.factories import make_volunteer

    user = make_volunteer().user
    client.force_login(user)
    assert client.get("/learn/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/learn/").status_code == 302
