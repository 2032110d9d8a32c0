"""Guessing the current password through the password change forms, from a signed-in session.

Whoever holds a session (a borrowed phone, a stolen cookie) could try passwords on the change form
without limit; after PASSWORD_GUESS_LIMIT wrong ones, even the right one is not checked.
"""

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-pass-phrase-2026"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def change(client, old):
    return client.post(
        "/en/accounts/password/", {"old_password": old, "new_password1": NEW, "new_password2": NEW}
    )


def test_guesses_at_the_current_password_are_limited_on_the_site(client, settings):
    settings.PASSWORD_GUESS_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 3600
    user = make_user()
    client.force_login(user)
    for guess in ("guess-one", "guess-two", "guess-three"):
        assert change(client, guess).status_code == 200
    answer = change(client, PASSWORD)  # the right one, now too late
    assert answer.status_code == 200
    assert "wrong too many times" in answer.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(NEW)


def test_the_limit_is_said_in_thai(client, settings):
    settings.PASSWORD_GUESS_LIMIT = 1
    user = make_user()
    client.force_login(user)
    client.post("/accounts/password/", {"old_password": "x", "new_password1": NEW, "new_password2": NEW})
    answer = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert "รหัสผ่านปัจจุบันผิดหลายครั้งเกินไป" in answer.content.decode()


def test_a_right_password_within_the_limit_still_changes_it(client, settings):
    settings.PASSWORD_GUESS_LIMIT = 3
    user = make_user()
    client.force_login(user)
    change(client, "guess-one")
    assert change(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


def admin_change(client, staff, old):
    return client.post(
        "/admin/account/",
        {
            "name_email-first_name": staff.first_name,
            "name_email-last_name": staff.last_name,
            "name_email-email": staff.email,
            "locale-preferred_language": "th",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "password-old_password": old,
            "password-new_password1": NEW,
            "password-new_password2": NEW,
        },
    )


def test_guesses_at_the_current_password_are_limited_in_the_admin(client, settings):
    settings.PASSWORD_GUESS_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 3600
    staff = make_user(group="Staff", first_name="Malee", last_name="Test")
    client.force_login(staff)
    for guess in ("guess-one", "guess-two", "guess-three"):
        assert admin_change(client, staff, guess).status_code == 200
    answer = admin_change(client, staff, PASSWORD)
    assert answer.status_code == 200
    assert "รหัสผ่านปัจจุบันผิดหลายครั้งเกินไป" in answer.content.decode()  # the admin speaks Thai
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD) and not staff.check_password(NEW)


def test_the_admin_changes_a_password_given_the_right_one(client, settings):
    staff = make_user(group="Staff", first_name="Malee", last_name="Test")
    client.force_login(staff)
    assert admin_change(client, staff, "guess-one").status_code == 200
    assert admin_change(client, staff, PASSWORD).status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW)
