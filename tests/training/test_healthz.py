from unittest import mock

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "training.cache.FailsafeRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_healthz_is_ok_when_every_dependency_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_outside_the_language_prefix(client):
    assert client.get("/en/healthz", follow=True).status_code == 404


def test_healthz_names_a_broken_cache(client):
    with override_settings(CACHES=DEAD_REDIS):
        response = client.get("/healthz")
    caches.close_all()
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_healthz_names_a_broken_storage(client):
    with mock.patch("training.views.default_storage.exists", side_effect=OSError("bucket gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["storage"]}


def test_healthz_names_a_broken_private_storage(client):
    from training.storage import private_storage

    with mock.patch.object(private_storage(), "exists", side_effect=OSError("private bucket gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failing": ["storage"]}


def test_healthz_names_a_broken_database(client):
    with mock.patch("training.views.connection") as connection:
        connection.cursor.side_effect = OperationalError("server closed the connection")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
