"""The password rules and errors are in the reader's language on every page where a password is
chosen (sign-up, reset, invitation, change), and the rules are tied to the field for screen readers."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from tests.factories import PASSWORD, make_privacy_notice, make_user, make_volunteer
from volunteers.tokens import password_set_path_args

pytestmark = pytest.mark.django_db

THAI_RULES = [
    "ใช้อย่างน้อย 8 ตัวอักษร",
    "อย่าตั้งให้คล้ายกับอีเมลหรือชื่อของท่าน",
    "อย่าใช้รหัสผ่านที่มีผู้ใช้จำนวนมาก",
    "อย่าใช้ตัวเลขเพียงอย่างเดียว",
]
THAI_ERRORS = [
    "รหัสผ่านนี้สั้นเกินไป กรุณาใช้อย่างน้อย 8 ตัวอักษร",
    "รหัสผ่านนี้มีผู้ใช้จำนวนมาก จึงถูกเดาได้ง่าย",
    "รหัสผ่านนี้มีแต่ตัวเลข",
]
# Django's English words that used to show on the Thai pages.
ENGLISH = re.compile(r"Your password|This password|The password|didn.t match|Password confirmation")


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def described_by(html: str, field_id: str) -> list:
    """The elements the field's aria-describedby points at."""
    soup = BeautifulSoup(html, "html.parser")
    ids = soup.find(id=field_id)["aria-describedby"].split()
    return [soup.find(id=element_id) for element_id in ids]


def assert_rules_tied_and_thai(html: str, field_id: str) -> None:
    helptext = described_by(html, field_id)[0]
    assert helptext is not None
    # A <p> cannot hold the list of rules: the browser closes it before the list, leaving it empty.
    assert helptext.name != "p"
    text = " ".join(helptext.get_text(" ").split())
    for rule in THAI_RULES:
        assert rule in text
    assert not ENGLISH.search(text)


def reset_page(client, user, prefix=""):
    args = password_set_path_args(user)
    response = client.get(f"{prefix}/accounts/reset/{args['uidb64']}/{args['token']}/", follow=True)
    return response.redirect_chain[-1][0], response.content.decode()


def test_the_thai_sign_up_page_shows_the_rules_in_thai_tied_to_the_field(client):
    make_privacy_notice()
    assert_rules_tied_and_thai(client.get("/accounts/signup/").content.decode(), "id_password1")


def test_the_thai_sign_up_page_says_what_is_wrong_in_thai(client):
    make_privacy_notice()
    data = {"email": "a@example.org", "password1": "1234567", "password2": "1234567", "consent": "on"}
    html = client.post("/accounts/signup/", data).content.decode()
    for error in (*THAI_ERRORS, "รหัสผ่านนี้มีแต่ตัวเลข"):
        assert error in html
    assert not ENGLISH.search(BeautifulSoup(html, "html.parser").get_text())
    # Errors and rules are both announced with the field.
    assert [element["id"] for element in described_by(html, "id_password1")] == [
        "id_password1_helptext",
        "id_password1_error",
    ]


def test_a_password_like_the_email_address_is_refused_in_thai(client):
    make_privacy_notice()
    data = {"email": "somchai.jaidee@example.org", "consent": "on"}
    data["password1"] = data["password2"] = "somchai.jaidee"
    html = client.post("/accounts/signup/", data).content.decode()
    assert "รหัสผ่านนี้คล้ายกับอีเมลของท่านมากเกินไป" in html


def test_the_invitation_and_reset_page_is_thai_and_ties_the_rules(client):
    user = make_volunteer().user
    url, html = reset_page(client, user)
    assert_rules_tied_and_thai(html, "id_new_password1")
    assert "รหัสผ่านใหม่" in html and "ยืนยันรหัสผ่านใหม่" in html
    html = client.post(url, {"new_password1": "1234567", "new_password2": "1234567"}).content.decode()
    for error in THAI_ERRORS:
        assert error in html
    assert not ENGLISH.search(BeautifulSoup(html, "html.parser").get_text())
    mismatch = client.post(url, {"new_password1": "a-long-pass-2026", "new_password2": "other-pass-2026"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in mismatch.content.decode()


def test_the_reset_page_is_english_under_the_english_prefix(client):
    _url, html = reset_page(client, make_volunteer().user, prefix="/en")
    assert "Use at least 8 characters." in html
    assert "Do not use only digits." in html


def test_the_password_change_page_is_thai(client):
    user = make_user()
    client.login(email=user.email, password=PASSWORD)
    html = client.get("/accounts/password/").content.decode()
    assert_rules_tied_and_thai(html, "id_new_password1")
    assert "รหัสผ่านปัจจุบัน" in html
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "123", "new_password2": "123"},
    )
    html = response.content.decode()
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง กรุณากรอกอีกครั้ง" in html
    assert not ENGLISH.search(BeautifulSoup(html, "html.parser").get_text())


def test_a_good_new_password_still_saves(client):
    user = make_volunteer().user
    url, _html = reset_page(client, user)
    response = client.post(url, {"new_password1": "a-long-pass-2026", "new_password2": "a-long-pass-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-pass-2026")
