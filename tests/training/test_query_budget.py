"""The site shell adds no queries of its own for a signed-in volunteer (no admin user bar)."""

import pytest

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_home_page_costs_volunteers_no_permission_queries(client, django_assert_max_num_queries):
    volunteer = make_user()
    client.post("/accounts/login/", {"username": volunteer.email, "password": PASSWORD})
    client.get("/")  # warm the site and locale caches
    # session, site, locale, page, ancestors, view restrictions, user, and the English translation
    # (locale + page) for the language switcher; no permission queries.
    with django_assert_max_num_queries(9):
        response = client.get("/")
    assert b"wagtail-userbar" not in response.content


def test_trainers_see_the_admin_user_bar_on_pages(client):
    trainer = make_user(group="Trainers")
    client.post("/accounts/login/", {"username": trainer.email, "password": PASSWORD})
    assert b"wagtail-userbar" in client.get("/").content
