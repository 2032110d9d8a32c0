"""The language switch (POST /i18n/setlang/) keeps the page, from a URL in either language, and never
sends anyone off the site."""

import pytest

pytestmark = pytest.mark.django_db


def switch(client, language: str, next_url: str, **extra):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url}, **extra)


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        # A next already in the chosen language stays where it is (was /en/en/).
        ("en", "/en/", "/en/"),
        ("en", "/en/accounts/login/", "/en/accounts/login/"),
        ("en", "/en/learn/?tab=done", "/en/learn/?tab=done"),
        # From English to Thai: the prefix goes, the page stays (was left in English).
        ("th", "/en/", "/"),
        ("th", "/en/accounts/login/", "/accounts/login/"),
        ("th", "/en/courses/orientation/", "/courses/orientation/"),
        # From Thai to English, and Thai to Thai, as before.
        ("en", "/", "/en/"),
        ("en", "/accounts/login/", "/en/accounts/login/"),
        ("en", "/courses/orientation/", "/en/courses/orientation/"),
        ("th", "/accounts/login/", "/accounts/login/"),
        # Outside the language prefix: unchanged.
        ("en", "/verify/abc/", "/verify/abc/"),
    ],
)
def test_the_switch_keeps_the_page_in_the_chosen_language(client, language, next_url, expected):
    response = switch(client, language, next_url)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies["django_language"].value == language


def test_a_path_that_only_starts_like_a_prefix_is_not_cut(client):
    assert switch(client, "th", "/english-club/")["Location"] == "/english-club/"
    assert switch(client, "en", "/english-club/")["Location"] == "/en/english-club/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/en/", "/\\evil.example/"])
def test_an_unsafe_next_is_refused(client, next_url):
    response = switch(client, "en", next_url)
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"] == "/en/"


def test_an_unsafe_next_falls_back_to_a_safe_referring_page(client):
    response = switch(client, "th", "https://evil.example/", HTTP_REFERER="http://testserver/en/learn/")
    assert response["Location"] == "http://testserver/learn/"


def test_an_unknown_language_changes_nothing(client):
    response = switch(client, "xx", "/en/learn/")
    assert response["Location"] == "/en/learn/"
    assert "django_language" not in response.cookies
