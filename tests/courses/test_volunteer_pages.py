"""What a volunteer finds on the learning pages: the way to the catalog and "My learning", where
signing in lands, the certificate on completion, prerequisites, percentages and the English review."""

import pytest

from tests.factories import PASSWORD, catalog_page, make_volunteer

pytestmark = pytest.mark.django_db


def english_catalog():
    from courses.services import catalog_translation_ensure
    from training.demo import seed_site

    seed_site()
    return catalog_translation_ensure(catalog=catalog_page(), language_code="en", title="Courses")


def header(html: str) -> str:
    return html.split("<header", 1)[1].split("</header>", 1)[0]


# --- The way to the courses ----------------------------------------------------------------------


def test_the_header_leads_to_the_catalog_for_everyone_and_to_my_learning_once_signed_in(client):
    english_catalog()
    home = header(client.get("/").content.decode())
    assert 'href="/courses/"' in home and 'href="/learn/"' not in home
    assert 'href="/en/courses/"' in header(client.get("/en/").content.decode())
    client.force_login(make_volunteer().user)
    for url in ("/", "/accounts/profile/", "/learn/"):
        shown = header(client.get(url).content.decode())
        assert 'href="/courses/"' in shown and 'href="/learn/"' in shown, url


def test_signing_in_lands_on_my_learning_or_on_a_safe_next(client):
    volunteer = make_volunteer().user
    home = header(client.get("/").content.decode())
    assert 'href="/accounts/login/"' in home  # no `next` back to the home page
    response = client.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/learn/"
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"username": volunteer.email, "password": PASSWORD, "next": ""}
    )
    assert response["Location"] == "/en/learn/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": volunteer.email, "password": PASSWORD, "next": "/courses/"}
    )
    assert response["Location"] == "/courses/"
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"username": volunteer.email, "password": PASSWORD, "next": "https://evil.example.org/"},
    )
    assert response["Location"] == "/learn/"
