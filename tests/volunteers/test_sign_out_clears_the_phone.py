"""Signing out clears what the installable app kept on the phone (issue 24): the answer to the sign-out
asks the browser to clear the site's cache and storage (the service worker, its saved lessons and
the queue of actions waiting for the network), on the public site and in the admin alike."""

import pytest
from django.conf import settings

from tests.factories import PASSWORD, make_user, make_volunteer

pytestmark = pytest.mark.django_db

CLEARS = '"cache", "storage"'


@pytest.mark.parametrize("url", ["/accounts/logout/", "/en/accounts/logout/"])
def test_a_volunteer_signing_out_clears_the_sites_cache_and_storage_on_the_phone(client, url):
    client.force_login(make_volunteer().user)
    response = client.post(url)
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == CLEARS
    assert client.get("/learn/sync/").status_code == 401  # signed out


def test_only_the_post_that_signs_out_clears_the_phone(client):
    client.force_login(make_volunteer().user)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "Clear-Site-Data" not in response
    assert client.get("/learn/sync/").status_code == 200  # still signed in


def test_signing_in_does_not_clear_the_phone(client):
    profile = make_volunteer()
    response = client.post("/accounts/login/", {"username": profile.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "Clear-Site-Data" not in response


def test_signing_out_of_the_admin_clears_the_phone_too(client):
    client.force_login(make_user(group="Staff"))
    assert client.get("/admin/").status_code == 200
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert response["Clear-Site-Data"] == CLEARS
    assert (
        settings.SESSION_COOKIE_NAME not in client.cookies
        or not client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    assert client.get("/admin/").status_code == 302


def test_a_session_that_still_owes_its_second_factor_may_sign_out_of_the_admin(client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    staff = make_user(group="Staff")
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302  # sent to set up the second factor first
    response = client.post("/admin/logout/")
    assert response.status_code == 302 and response["Location"] == "/admin/login/"
    assert response["Clear-Site-Data"] == CLEARS
