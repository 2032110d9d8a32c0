"""Security headers on representative pages: CSP, framing, sniffing, referrer, caching, cookies."""

import pytest

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("url", ["/", "/en/", "/accounts/login/"])
def test_public_pages_forbid_inline_scripts_and_framing(client, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_has_a_policy_of_its_own(client):
    response = client.get("/admin/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in policy["script-src"]


def test_pages_for_a_signed_in_person_are_never_cached(client):
    user = make_user()
    client.login(email=user.email, password=PASSWORD)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_anonymous_pages_may_be_cached_by_the_browser(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_session_and_csrf_cookies_are_http_only_and_same_site(client):
    user = make_user()
    client.get("/accounts/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value}
    )
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"


def test_a_preview_rendered_with_wagtails_dummy_request_leaves_the_policy_to_the_admin_request(rf):
    """Wagtail renders previews through the middleware with a dummy request for the page's public URL.

    That inner pass must not stamp the public policy (frame-ancestors 'none') on the response, or
    the admin's preview panel cannot frame it.
    """
    from django.http import HttpResponse

    from training.middleware import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("preview"))
    dummy = rf.get("/courses/some-lesson/")
    dummy.is_dummy = True
    assert "Content-Security-Policy" not in middleware(dummy)
    admin_request = rf.get("/admin/pages/7/edit/preview/")
    assert directives(middleware(admin_request)["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
