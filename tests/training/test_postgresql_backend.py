"""The PostgreSQL backend's health check (training/postgresql/base.py), on the real server: a
persistent connection that plainly lives is reused without `SELECT 1`, and one the server ended is
found out and replaced before a request uses it."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from training.postgresql.base import DatabaseWrapper

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def wrapper() -> DatabaseWrapper:
    """This thread's connection itself (not the proxy `django.db.connection`)."""
    return connections[DEFAULT_DB_ALIAS]


@pytest.fixture
def checks(monkeypatch):
    """The connection as a request starts with it (persistent, health-checked), and a count of
    Django's own check (`SELECT 1`)."""
    connection = wrapper()
    assert isinstance(connection, DatabaseWrapper)
    connection.ensure_connection()
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "close_at", None)  # kept between requests (CONN_MAX_AGE)
    calls = []
    real = connection.is_usable

    def is_usable():
        calls.append(1)
        return real()

    monkeypatch.setattr(connection, "is_usable", is_usable)
    return calls


def next_request() -> None:
    """What Django does between two requests on a persistent connection."""
    wrapper().close_if_unusable_or_obsolete()


def backend_pid() -> int:
    with wrapper().cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_live_idle_connection_is_reused_without_asking_the_server(checks):
    pid = backend_pid()
    next_request()
    assert backend_pid() == pid
    assert checks == []


def test_a_connection_the_server_ended_is_replaced_before_it_is_used(checks):
    pid = backend_pid()
    next_request()
    other = connections.create_connection(DEFAULT_DB_ALIAS)  # another session, as an admin's
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            # The server's goodbye reaches the socket (it is sent before the backend exits).
            cursor.execute("SELECT pg_sleep(0.2)")
    finally:
        other.close()
    # Without the check, this query would fail with "terminating connection due to administrator command".
    assert backend_pid() != pid
    assert checks == [1]  # something waited on the socket: Django's own check ran, and failed
