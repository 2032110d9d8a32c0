import time

import pytest

from tests.factories import PASSWORD, make_user
from training.middleware import LAST_ACTIVITY_KEY

pytestmark = pytest.mark.django_db


def age_session(client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_an_admin_session_ends_after_thirty_idle_minutes(client):
    trainer = make_user(group="Trainers")
    client.post("/admin/login/", {"username": trainer.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    age_session(client, 31 * 60)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/").status_code == 302  # really signed out


def test_activity_keeps_an_admin_session_alive(client):
    trainer = make_user(group="Staff")
    client.post("/admin/login/", {"username": trainer.email, "password": PASSWORD})
    age_session(client, 29 * 60)
    assert client.get("/admin/").status_code == 200
    age_session(client, 0)
    assert client.get("/admin/").status_code == 200


def test_volunteer_sessions_are_not_cut_short(client):
    volunteer = make_user()
    client.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    age_session(client, 3 * 60 * 60)
    client.get("/")
    assert client.session.get("_auth_user_id") == str(volunteer.pk)
