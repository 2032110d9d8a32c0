"""Headers a hostile review checked: the CSP nonce, Permissions-Policy, and X-Forwarded-Proto trust.

- The public policy once carried the literal source 'nonce' (invalid; browsers log it on every page).
- No Permissions-Policy: any injected or framed content could ask for the camera or location.
- Production believed X-Forwarded-Proto from anyone: a client reaching gunicorn directly over plain
  HTTP could claim HTTPS and skip the redirect to it. Only TRUSTED_PROXIES may say so.
"""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from training.middleware import ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/en/", "/accounts/login/", "/en/accounts/password-reset/", "/courses/", "/healthz"]
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


def sources(policy: str) -> list[str]:
    return [source for part in policy.split(";") for source in part.split()[1:]]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/admin/login/"])
def test_no_policy_holds_the_bare_nonce_keyword(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "'nonce'" not in sources(policy)
    assert not re.search(r"'nonce-?'", policy)


def test_a_page_that_uses_the_nonce_gets_a_real_one(settings):
    """A response whose template reads request.csp_nonce: the policy names that very nonce."""
    seen = {}

    def page(request):
        seen["nonce"] = str(request.csp_nonce)
        return HttpResponse(f'<script nonce="{seen["nonce"]}">1</script>')

    request = RequestFactory().get("/")
    response = ContentSecurityPolicyMiddleware(page)(request)
    script_sources = next(
        part.split()[1:] for part in response["Content-Security-Policy"].split(";") if "script-src" in part
    )
    assert f"'nonce-{seen['nonce']}'" in script_sources
    assert "'nonce'" not in script_sources
    assert len(seen["nonce"]) >= 22  # 128 bits, base64


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/"])
def test_pages_refuse_powerful_browser_features(client, path):
    header = client.get(path)["Permissions-Policy"]
    policy = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in DENIED_FEATURES:
        assert policy[feature] == "()", feature
    # Video embeds still go full screen.
    assert "fullscreen" not in policy


@pytest.fixture
def production_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def test_a_direct_client_cannot_claim_https(client, production_https):
    response = client.get("/accounts/login/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_trusted_proxy_says_https(client, production_https):
    response = client.get("/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_without_trusted_proxies_nobody_claims_https(client, production_https, settings):
    settings.TRUSTED_PROXIES = []
    response = client.get("/accounts/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


@pytest.mark.django_db
def test_a_trainers_preview_is_rendered_not_redirected_under_https_redirects(production_https, demo):
    """Wagtail renders a preview through the middleware with a request made up from the page's Site
    (http://localhost); under SECURE_SSL_REDIRECT it was sent to https://localhost/... and the
    editor's preview panel stayed empty. (Behind a trusted proxy Wagtail copies its HTTPS header
    into the made-up request; served over HTTPS directly, as gunicorn can, nothing said HTTPS.)"""
    from courses.models import LessonPage
    from volunteers.models import User

    lesson = LessonPage.objects.filter(locale__language_code="th").first()
    admin_request = RequestFactory().get("/admin/", secure=True)
    admin_request.user = User.objects.get(email="trainer@example.org")
    response = lesson.make_preview_request(original_request=admin_request)
    assert response.status_code == 200
    assert lesson.title in response.content.decode()


def test_a_made_up_request_is_https_only_where_https_is_enforced(settings):
    from training.proxies import TrustedProxyHeadersMiddleware

    request = RequestFactory().get("/")
    request.is_dummy = True
    settings.SECURE_SSL_REDIRECT = False
    TrustedProxyHeadersMiddleware(lambda request: HttpResponse())(request)
    assert not request.is_secure()
    settings.SECURE_SSL_REDIRECT = True
    TrustedProxyHeadersMiddleware(lambda request: HttpResponse())(request)
    assert request.is_secure()
