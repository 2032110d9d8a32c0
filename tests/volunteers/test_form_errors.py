"""Form errors are tied to their fields: the field is marked invalid and described by its error, so
a screen reader reads the error with the field (WCAG 3.3.1, 1.3.1)."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import make_privacy_notice, make_volunteer

pytestmark = pytest.mark.django_db


def described_errors(html: str) -> dict[str, str]:
    """For each invalid input: the text of the elements its aria-describedby names."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for field in soup.select("main [aria-invalid=true]"):
        ids = field.get("aria-describedby", "").split()
        found[field["name"]] = " ".join(soup.find(id=name).get_text(" ", strip=True) for name in ids)
    return found


def test_sign_up_errors_are_read_with_their_fields(client):
    make_privacy_notice()
    response = client.post(
        "/en/accounts/signup/",
        {"email": "not-an-address", "password1": "a-long-pass-phrase-1", "password2": "x"},
    )

    errors = described_errors(response.content.decode())

    assert set(errors) == {"email", "password2", "consent"}
    assert "valid email address" in errors["email"]
    assert "not the same" in errors["password2"]


def test_a_wrong_password_error_is_read_with_both_login_fields(client):
    profile = make_volunteer()
    response = client.post("/en/accounts/login/", {"username": profile.user.email, "password": "wrong"})

    errors = described_errors(response.content.decode())

    assert set(errors) == {"username", "password"}
    assert all("correct email address and password" in text for text in errors.values())


def test_an_empty_login_field_is_read_with_its_own_error(client):
    response = client.post("/en/accounts/login/", {"username": "someone@example.org", "password": ""})

    assert described_errors(response.content.decode()) == {"password": "This field is required."}
