"""Sign-up with consent, email confirmation, password reset, re-consent and login throttling."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from tests.factories import PASSWORD, make_privacy_notice, make_user, make_volunteer
from volunteers.models import User, VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email="new@example.org", consent=True, prefix=""):
    from django.test import TestCase

    data = {"email": email, "password1": "a-long-pass-phrase-2026", "password2": "a-long-pass-phrase-2026"}
    if consent:
        data["consent"] = "on"
    # Emails are queued when the transaction commits; the test transaction never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{prefix}/accounts/signup/", data)


def test_sign_up_requires_consent_to_the_privacy_notice(client):
    make_privacy_notice(version=3)
    response = sign_up(client, consent=False, prefix="/en")
    assert response.status_code == 200
    assert "You can only sign up after agreeing to the privacy notice." in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_sign_up_records_consent_version_and_sends_a_confirmation_link(client):
    make_privacy_notice(version=3)
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert "_auth_user_id" not in client.session  # signed in once the address is confirmed
    profile = VolunteerProfile.objects.get(user__email="new@example.org")
    assert profile.status == VolunteerProfile.Status.APPLICANT
    assert profile.consent_version == 3 and profile.consented_at is not None
    assert profile.preferred_language == "th"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    assert "new@example.org" not in mail.outbox[0].body.split("http")[1]  # the link carries no address


def test_sign_up_is_closed_without_a_published_notice(client):
    response = client.get("/en/accounts/signup/")
    assert response.status_code == 503
    assert "Sign-up is not open yet" in response.content.decode()


def test_an_account_that_signs_in_before_confirming_works_and_a_banner_reminds(client):
    make_privacy_notice()
    sign_up(client)
    client.login(email="new@example.org", password="a-long-pass-phrase-2026")
    page = client.get("/en/accounts/profile/").content.decode()
    assert "Please confirm your email address" in page


def confirm_path() -> str:
    link = re.search(r"http://\S+/accounts/confirm/\S+", mail.outbox[-1].body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_confirming_from_the_browser_that_signed_up_signs_the_new_account_in(client):
    make_privacy_notice()
    sign_up(client)
    response = client.post(confirm_path())
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="new@example.org").pk


def test_confirming_from_another_browser_confirms_but_asks_for_the_password(client):
    make_privacy_notice()
    sign_up(client)
    other = Client()
    response = other.post(confirm_path())
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in other.session
    assert User.objects.get(email="new@example.org").email_confirmed_at is not None


def test_the_emailed_link_confirms_the_address(client):
    make_privacy_notice()
    sign_up(client)
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a GET only shows the button
    assert User.objects.get(email="new@example.org").email_confirmed_at is None
    client.post("/" + path)
    assert User.objects.get(email="new@example.org").email_confirmed_at is not None
    assert "Please confirm your email address" not in client.get("/en/accounts/profile/").content.decode()


def test_a_forged_or_foreign_confirmation_link_is_refused_with_400(client):
    from volunteers.tokens import email_confirmation_token

    user = make_user(email="a@example.org")
    token = email_confirmation_token(user)
    assert client.post(f"/accounts/confirm/{token}x/").status_code == 400
    user.email = "changed@example.org"
    user.save()
    assert client.post(f"/accounts/confirm/{token}/").status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    make_user(email="known@example.org")
    known = client.post("/en/accounts/password-reset/", {"email": "known@example.org"})
    unknown = client.post("/en/accounts/password-reset/", {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    assert [message.to for message in mail.outbox] == [["known@example.org"]]
    assert "/en/accounts/reset/" in mail.outbox[0].body  # in the language the person asked in


def test_password_change_needs_the_old_password(client):
    user = make_user()
    client.login(email=user.email, password=PASSWORD)
    response = client.post(
        "/en/accounts/password/",
        {"old_password": "wrong", "new_password1": "n3w-pass-phrase!", "new_password2": "n3w-pass-phrase!"},
    )
    assert response.status_code == 200
    response = client.post(
        "/en/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "n3w-pass-phrase!", "new_password2": "n3w-pass-phrase!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("n3w-pass-phrase!")


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/en/accounts/login/", "/admin/login/"])
@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(client, login_path):
    make_user(email="target@example.org", group="Staff")
    for _attempt in range(3):
        response = client.post(login_path, {"username": "target@example.org", "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(login_path, {"username": "target@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = client.post(
        login_path, {"username": "target@example.org", "password": PASSWORD}, REMOTE_ADDR="192.0.2.77"
    )
    assert other.status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=2, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_throttling_uses_the_forwarded_address_only_behind_a_trusted_proxy(client):
    make_user(email="target@example.org")
    for _attempt in range(2):
        client.post(
            "/accounts/login/",
            {"username": "target@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    same_client = client.post(
        "/accounts/login/",
        {"username": "target@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert same_client.status_code == 429
    other_client = client.post(
        "/accounts/login/",
        {"username": "target@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert other_client.status_code == 302


def test_client_address_ignores_forwarded_headers_from_untrusted_peers(rf, settings):
    from volunteers.throttle import client_address

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "203.0.113.9"
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1, 10.2.2.2")
    assert client_address(request) == "198.51.100.1"
    settings.TRUSTED_PROXIES = []
    assert client_address(request) == "10.1.1.1"


def test_a_new_notice_version_asks_for_consent_again(client):
    make_privacy_notice(version=1)
    profile = make_volunteer(consent_version=1)
    client.login(email=profile.user.email, password=PASSWORD)
    # The learning dashboard: the profile and the data rights stay open without consent
    # (tests/security/test_consent_data_rights.py).
    assert client.get("/en/learn/").status_code == 200
    make_privacy_notice(version=2)
    response = client.get("/en/learn/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/consent/?next=")
    refused = client.post("/en/accounts/consent/", {"next": "/en/learn/"})
    assert refused.status_code == 200 and "Tick the box to agree" in refused.content.decode()
    agreed = client.post("/en/accounts/consent/", {"consent": "on", "next": "/en/learn/"})
    assert agreed["Location"] == "/en/learn/"
    profile.refresh_from_db()
    assert profile.consent_version == 2
    assert client.get("/en/learn/").status_code == 200


def test_staff_without_a_volunteer_record_are_not_asked_to_consent(client):
    make_privacy_notice(version=5)
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    assert client.get("/").status_code == 200


def test_the_consent_page_does_not_redirect_off_site(client):
    make_privacy_notice(version=2)
    profile = make_volunteer(consent_version=1)
    client.login(email=profile.user.email, password=PASSWORD)
    response = client.post("/en/accounts/consent/", {"consent": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signing_up_from_a_course_comes_back_to_the_course(client, django_capture_on_commit_callbacks):
    from tests.factories import make_course_tree, make_privacy_notice

    notice = make_privacy_notice()
    course, _module, _lesson = make_course_tree(title="Orientation")
    page = client.get(f"/accounts/signup/?next={course.url}").content.decode()
    assert f'name="next" value="{course.url}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "back.to.course@example.org",
                "password1": "a-long-enough-password-9",
                "password2": "a-long-enough-password-9",
                "consent": "on",
                "next": course.url,
            },
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert client.post(confirm_path())["Location"] == course.url  # back to the course once confirmed
    assert notice.version == 1


def test_sign_up_never_sends_people_off_site(client, django_capture_on_commit_callbacks):
    from tests.factories import make_privacy_notice

    make_privacy_notice()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "offsite@example.org",
                "password1": "a-long-enough-password-9",
                "password2": "a-long-enough-password-9",
                "consent": "on",
                "next": "https://evil.example.com/",
            },
        )
    assert response.status_code == 302
    assert client.post(confirm_path())["Location"] == "/accounts/profile/"


def test_account_mails_say_how_long_their_link_works(client, django_capture_on_commit_callbacks):
    make_privacy_notice()
    sign_up(client)  # runs its own on-commit callbacks
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "new@example.org"})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "24 ชั่วโมง" in message.body  # in the volunteer's Thai
