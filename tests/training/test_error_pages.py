"""The 400, 403, CSRF-failure and 404 pages: translated, in the site's layout, with a way back; a form
body that cannot be decoded is a 400, never a 500."""

import pytest
from django.test import Client, override_settings

from tests.factories import PASSWORD, make_privacy_notice, make_user

pytestmark = pytest.mark.django_db

PUBLIC_FORMS = ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/", "/i18n/setlang/"]
# Bodies a browser or a bot may send that Python cannot decode in the charset they name (or at all).
UNREADABLE = [
    ("utf-16", b"email=a\xff"),
    ("utf-16", b"\x00\xd8"),  # a lone surrogate
    ("utf-32", b"email=abc"),
    ("cp932", b"email=\x81"),
    ("utf-7", b"+\xff"),
    ("rot13", b"email=a"),  # a codec, but not text to bytes
    ("zlib", b"email=a"),
]


def page_text(response) -> str:
    return response.content.decode()


def assert_site_page(html: str, language: str = "th") -> None:
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html  # the site's layout, not Django's bare page
    home = "/" if language == "th" else "/en/"
    assert f'<a href="{home}">' in html  # a way back


@pytest.fixture
def browser_client():
    """A client that checks CSRF as a browser's request is checked, with a valid token."""
    make_privacy_notice()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/accounts/signup/")
    return client


@override_settings(DEBUG=False)
@pytest.mark.parametrize(("charset", "body"), UNREADABLE)
@pytest.mark.parametrize("url", PUBLIC_FORMS)
def test_an_undecodable_form_post_is_a_translated_400(browser_client, url, charset, body):
    response = browser_client.generic(
        "POST",
        url,
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
        HTTP_X_CSRFTOKEN=browser_client.cookies["csrftoken"].value,
    )
    assert response.status_code == 400
    html = page_text(response)
    assert "ระบบไม่สามารถอ่านคำขอนี้ได้" in html
    assert_site_page(html)


@override_settings(DEBUG=False)
def test_the_400_page_is_english_under_the_english_prefix(browser_client):
    response = browser_client.generic(
        "POST",
        "/en/accounts/login/",
        b"username=a\xff",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_X_CSRFTOKEN=browser_client.cookies["csrftoken"].value,
    )
    assert response.status_code == 400
    assert "The request could not be read" in page_text(response)
    assert_site_page(page_text(response), "en")


@override_settings(DEBUG=False)
def test_a_form_without_its_csrf_token_gets_a_translated_page_that_leads_back(browser_client):
    response = browser_client.post(
        "/accounts/login/",
        {"username": "a@example.org", "password": "x"},
        HTTP_REFERER="http://testserver/accounts/login/?next=/learn/",
    )
    assert response.status_code == 403
    html = page_text(response)
    assert "แบบฟอร์มหมดอายุแล้ว" in html
    assert 'href="http://testserver/accounts/login/?next=/learn/"' in html
    assert "CSRF" not in html  # the technical reason stays in the log
    assert_site_page(html)


@override_settings(DEBUG=False)
def test_the_csrf_page_never_leads_off_the_site(browser_client):
    response = browser_client.post("/en/accounts/login/", {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    html = page_text(response)
    assert "The form has expired" in html
    assert "evil" not in html
    assert 'href="/en/accounts/login/"' in html
    assert_site_page(html, "en")


@override_settings(DEBUG=False, ROOT_URLCONF="tests.training.error_urls")
def test_a_refusal_is_a_translated_403_in_the_site_layout(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403
    html = page_text(response)
    assert "ท่านไม่มีสิทธิ์เปิดหน้านี้" in html
    assert_site_page(html)


@override_settings(DEBUG=False)
def test_the_admin_still_answers_its_own_refusals(client):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    # Wagtail's admin refuses with a redirect to its dashboard and a message, as before.
    response = client.get("/admin/volunteers/people/")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@override_settings(DEBUG=False)
def test_the_404_page_leads_home_in_the_reader_s_language(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in page_text(response)
    assert_site_page(page_text(response), "en")
    thai = client.get("/no-such-page/")
    assert "ไม่พบหน้านี้" in page_text(thai)
    assert_site_page(page_text(thai))
