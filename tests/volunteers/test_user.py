import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_the_custom_user_model_is_in_use_and_has_no_username():
    User = get_user_model()
    assert User._meta.label == "volunteers.User"
    assert User.USERNAME_FIELD == "email"
    assert "username" not in [field.name for field in User._meta.get_fields()]


def test_create_user_normalises_the_email_and_requires_one():
    user = get_user_model().objects.create_user(email="Somchai@Example.ORG", password=PASSWORD)
    assert user.email == "somchai@example.org"
    with pytest.raises(ValueError):
        get_user_model().objects.create_user(email="", password=PASSWORD)


def test_emails_are_unique():
    make_user(email="dup@example.org")
    with pytest.raises(IntegrityError):
        make_user(email="dup@example.org")


def test_a_person_logs_in_with_their_email_in_any_case():
    user = make_user(email="nok@example.org")
    assert authenticate(email="NOK@example.org", password=PASSWORD) == user
    assert authenticate(email="nok@example.org", password="wrong") is None


def test_the_public_login_form_signs_in_by_email(client):
    make_user(email="login@example.org")
    response = client.post("/accounts/login/", {"username": "login@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_the_public_login_form_says_why_it_refused(client):
    response = client.post("/en/accounts/login/", {"username": "nobody@example.org", "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()


def test_superusers_are_created_with_email():
    admin = get_user_model().objects.create_superuser(email="root@example.org", password=PASSWORD)
    assert admin.is_superuser and admin.is_staff
