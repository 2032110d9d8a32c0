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


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/admin/login/"])
def test_every_source_in_the_policy_is_one_browsers_accept(client, url):
    """Quoted keywords are the CSP ones or a real nonce; "'nonce'" itself is refused by browsers."""
    keywords = {"'self'", "'none'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'report-sample'"}
    policy = directives(client.get(url)["Content-Security-Policy"])
    quoted = [source for sources in policy.values() for source in sources if source.startswith("'")]
    assert [source for source in quoted if source not in keywords and not source.startswith("'nonce-")] == []


def test_admin_pages_load_no_third_party_avatars(client):
    """Gravatar would learn a hash of each staff member's email; the admin's policy blocks it too."""
    staff = make_user(group="Staff")
    client.force_login(staff)
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html


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


# --- Representative pages, and the production settings ------------------------------------------

SECURITY_SETTING_NAMES = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
)


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings exactly as training/settings/production.py sets them."""
    import importlib
    import sys

    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("CERTIFICATE_SIGNING_KEY", "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    # Read afresh with the variables production needs; the running settings stay as they are.
    monkeypatch.delitem(sys.modules, "training.settings.base")
    monkeypatch.delitem(sys.modules, "training.settings.production", raising=False)
    module = importlib.import_module("training.settings.production")
    for name in SECURITY_SETTING_NAMES:
        setattr(settings, name, getattr(module, name))
    return module


@pytest.fixture
def site():
    """A holder with a certificate, a lesson and a quiz: the pages the headers are checked on."""
    from certificates.services import certificate_issue
    from courses.learning.services import course_enrol
    from tests.courses.quizzes.quiz_helpers import add_quiz
    from tests.factories import make_course_tree, make_privacy_notice, make_volunteer

    make_privacy_notice(version=1)
    course, module, lesson = make_course_tree(title="Headers course")
    quiz = add_quiz(module)
    holder = make_volunteer(given_name_th="ผู้ถือ", family_name_th="ใบรับรอง").user
    course_enrol(volunteer=holder, course=course)
    certificate = certificate_issue(volunteer=holder, course=course)
    return {"holder": holder, "certificate": certificate, "lesson": lesson, "quiz": quiz, "course": course}


def public_urls(site) -> list[str]:
    token = site["certificate"].token
    return [
        "/",
        "/en/",
        "/accounts/login/",
        "/accounts/signup/",
        site["course"].url,
        site["lesson"].url,
        site["quiz"].url,
        f"/verify/{token}/",
        f"/verify/{token}.json",
        "/certificates/issuer.json",
    ]


def private_urls(site) -> list[str]:
    token = site["certificate"].token
    return [
        "/accounts/profile/",
        "/accounts/profile/my-data.json",
        "/learn/",
        "/learn/certificates/",
        f"/certificates/{token}.pdf",
        f"/verify/{token}.json",
        site["quiz"].url,
        site["lesson"].url,
    ]


ADMIN_URLS = ["/admin/", "/admin/volunteers/people/", "/admin/volunteers/people/?export=csv",
              "/admin/reports/completions/", "/admin/reports/completions/?export=csv",
              "/admin/certificates/issued/"]  # fmt: skip


def assert_common_headers(response, url):
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def assert_public_policy(response, url):
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], url
    assert policy["default-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"], url


def test_public_pages_carry_the_strict_policy_and_the_common_headers(client, site):
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_common_headers(response, url)
        assert_public_policy(response, url)


def test_signed_in_pages_with_personal_data_are_never_stored(client, site):
    client.force_login(site["holder"])
    for url in private_urls(site):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert_common_headers(response, url)
        assert_public_policy(response, url)


def test_verification_pages_are_not_indexed(client, site):
    token = site["certificate"].token
    for url in (f"/verify/{token}/", f"/verify/{token}.json"):
        assert "noindex" in client.get(url)["X-Robots-Tag"], url


def test_admin_pages_and_exports_have_their_own_policy_and_are_never_stored(client, site):
    from tests.factories import make_user

    client.force_login(make_user(group="Staff"))
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"], url
        assert "no-store" in response["Cache-Control"], url
        assert_common_headers(response, url)


def test_production_sends_hsts_for_a_year_with_subdomains_and_redirects_plain_http(client, site, production):
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    for url in [*public_urls(site), "/admin/login/"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", url
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


def test_production_cookies_are_secure_http_only_and_same_site(client, site, production):
    from tests.factories import PASSWORD

    client.get("/accounts/login/", secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": site["holder"].email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
