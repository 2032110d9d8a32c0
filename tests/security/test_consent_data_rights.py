"""A new privacy notice does not hold a person's data rights hostage, and every worker asks for it
as soon as it is published (issue 19, item 8).

Until a volunteer accepted a new notice, the data export and the erasure request redirected to the
consent page. And the notice version was cached in each process's own memory (without Redis), so a
worker that had not published kept serving the old version for up to five minutes.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.factories import PASSWORD, make_privacy_notice, make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_yet_consented(client):
    """A volunteer signed in after a new notice (version 2) was published; they consented to 1."""
    cache.clear()
    make_privacy_notice(version=1)
    profile = make_volunteer(consent_version=1)
    assert client.login(email=profile.user.email, password=PASSWORD)
    make_privacy_notice(version=2)
    assert client.get("/en/learn/")["Location"].startswith("/en/accounts/consent/")  # still asked
    return profile


def test_the_data_export_works_without_accepting_the_new_notice(client, not_yet_consented):
    response = client.get("/en/accounts/profile/my-data.json")
    assert response.status_code == 200
    assert response.json()["data"]["account"]["email"] == not_yet_consented.user.email


def test_erasure_can_be_requested_without_accepting_the_new_notice(client, not_yet_consented):
    assert client.get("/en/accounts/profile/erase/").status_code == 200
    response = client.post("/en/accounts/profile/erase/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/profile/")
    profile = VolunteerProfile.objects.get(pk=not_yet_consented.pk)
    assert profile.erasure_requested_at is not None
    assert profile.consent_version == 1  # asking for erasure is not consent


def test_profile_and_password_change_stay_reachable_without_accepting(client, not_yet_consented):
    assert client.get("/en/accounts/profile/").status_code == 200
    assert client.get("/en/accounts/password/").status_code == 200
    new_password = "another-phrase-for-2026"
    response = client.post(
        "/en/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_public_certificate_pages_open_without_accepting(client, not_yet_consented):
    """A QR code scanned while signed in shows the certificate, as it does to a stranger."""
    from certificates.services import certificate_issue
    from tests.factories import make_course_tree

    certificate = certificate_issue(volunteer=make_volunteer().user, course=make_course_tree()[0])
    for url in (
        f"/verify/{certificate.token}/",
        f"/verify/{certificate.token}.json",
        "/certificates/issuer.json",
        "/certificates/status/revocation.json",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/en/learn/")["Location"].startswith("/en/accounts/consent/")  # still asked


def test_signing_out_works_without_accepting(client, not_yet_consented):
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302 and "consent" not in response["Location"]
    assert client.get("/en/learn/")["Location"].startswith("/en/accounts/login/")


def test_a_notice_published_by_another_worker_is_asked_for_at_once(client):
    """Two workers without Redis each have their own memory cache: the one that did not publish must
    not keep serving the old version."""
    cache.clear()
    make_privacy_notice(version=1)
    profile = make_volunteer(consent_version=1)
    assert client.login(email=profile.user.email, password=PASSWORD)
    assert client.get("/en/learn/").status_code == 200  # this worker has read version 1

    other_worker = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w2"}}
    with override_settings(CACHES=other_worker):
        make_privacy_notice(version=2)  # published through another worker, with its own cache

    response = client.get("/en/learn/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/consent/")
