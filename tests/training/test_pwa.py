"""The installable app (training/pwa.py): manifest, service worker and offline page, as a browser
fetches them. The journey that installs and goes offline is tests/journeys/test_offline_app.py."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import make_user
from training import pwa

pytestmark = pytest.mark.django_db

PRIVATE = ("/accounts/", "/admin/", "/certificates/", "/learn/", "/organisation/", "/documents/", "/private")


def test_the_manifest_is_thai_at_the_root_and_english_under_en(client):
    thai = client.get("/manifest.webmanifest")
    assert thai.status_code == 200
    assert thai["Content-Type"] == "application/manifest+json"
    assert "max-age=86400" in thai["Cache-Control"]
    data = json.loads(thai.content)
    assert data["lang"] == "th" and data["start_url"] == "/learn/" and data["display"] == "standalone"
    assert re.search("[\u0e00-\u0e7f]", data["name"]) and re.search("[\u0e00-\u0e7f]", data["short_name"])
    assert len(data["short_name"]) <= 12  # the length launchers show under an icon
    english = json.loads(client.get("/en/manifest.webmanifest").content)
    assert english["lang"] == "en" and english["start_url"] == "/en/learn/"
    assert english["name"] == "Overseas social development volunteers: training"
    assert english["id"] == data["id"]  # one app in both languages


def test_the_manifest_names_icons_any_and_maskable_in_the_sizes_browsers_ask_for(client):
    icons = json.loads(client.get("/manifest.webmanifest").content)["icons"]
    assert {(icon["sizes"], icon["purpose"]) for icon in icons} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in icons:
        found = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(found) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
        if icon["purpose"] == "maskable":  # no transparent corner for a mask to reveal
            with Image.open(found) as image:
                assert image.mode == "RGB"


def test_every_page_links_the_manifest_the_icon_and_the_script_that_registers_the_worker(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'rel="icon" href="/static/icons/favicon-32.png"' in html
    assert '<script src="/static/js/app.js" defer></script>' in html
    assert '<link rel="manifest" href="/en/manifest.webmanifest">' in client.get("/en/").content.decode()


def test_favicon_ico_redirects_to_the_site_icon_instead_of_a_404_page(client):
    # Asked for by browsers where nothing names an icon, such as a JSON credential.
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon-32.png"
    assert finders.find("icons/favicon-32.png")
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    assert not response.cookies
    assert client.post("/favicon.ico").status_code == 405


def worker_config(client) -> dict:
    script = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"const CONFIG = (\{.*?\});\n", script).group(1))


def test_the_service_worker_is_served_from_the_root_as_javascript_and_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert client.post("/sw.js").status_code == 405


def test_the_worker_caches_only_the_shell_and_the_offline_pages(client):
    config = worker_config(client)
    assert config["offline"] == {"th": "/offline/", "en": "/en/offline/"}
    for url in config["shell"]:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert config["cache_first_prefixes"] == ["/static/fonts/"]
    cached = [*config["shell"], *config["offline"].values(), *config["cache_first_prefixes"]]
    assert not [url for url in cached if url.startswith(PRIVATE)]


def test_the_workers_version_changes_with_the_shell(client, monkeypatch):
    before = worker_config(client)["version"]
    pwa.service_worker_config.cache_clear()
    monkeypatch.setattr(pwa, "SHELL_STATIC", [*pwa.SHELL_STATIC, "icons/icon-512.png"])
    try:
        assert worker_config(client)["version"] != before
    finally:
        pwa.service_worker_config.cache_clear()


def test_the_offline_page_is_translated_and_the_same_for_everyone(client):
    thai = client.get("/offline/")
    assert thai.status_code == 200
    assert "ขณะนี้ไม่ได้เชื่อมต่ออินเทอร์เน็ต" in thai.content.decode()
    assert "You are offline" in client.get("/en/offline/").content.decode()
    user = make_user(email="somchai.private@example.org", first_name="สมชายลับ")
    client.force_login(user)
    signed_in = client.get("/offline/").content.decode()
    assert signed_in == thai.content.decode()  # cached on the phone: nobody's name, messages or bell
    assert "สมชายลับ" not in signed_in and "csrfmiddlewaretoken" not in signed_in


def test_the_worker_is_told_where_it_must_never_store_anything(client):
    never = worker_config(client)["never_cache"]
    for path in [
        "/admin/",
        "/accounts/",
        "/en/accounts/",
        "/certificates/",
        "/verify/",
        "/learn/certificates/",
        "/en/learn/certificates/",
        "/learn/notifications/",
        "/learn/evaluations/",
        "/organisation/",
        "/learn/sync/",
        "/en/learn/sync/",
        "/calendar/",
        "/sw.js",
    ]:
        assert any(path.startswith(prefix) for prefix in never), path
    # Lesson pages, their media and the learning dashboard stay possible to save.
    for path in ["/courses/orientation/", "/en/courses/orientation/", "/media/images/a.webp", "/learn/"]:
        assert not any(path.startswith(prefix) for prefix in never), path


def test_the_worker_knows_mark_as_done_in_each_language_and_where_to_send_what_waited(client):
    config = worker_config(client)
    assert config["sync"] == {"th": "/learn/sync/", "en": "/en/learn/sync/"}
    patterns = [re.compile(pattern) for pattern in config["lesson_done"]]
    for path, lesson in [("/learn/lessons/42/done/", "42"), ("/en/learn/lessons/7/done/", "7")]:
        matched = [pattern.match(path) for pattern in patterns if pattern.match(path)]
        assert [match.group(1) for match in matched] == [lesson], path
    for path in ["/learn/lessons/42/done/x", "/learn/lessons/abc/done/", "/xlearn/lessons/1/done/"]:
        assert not any(pattern.match(path) for pattern in patterns), path


def test_the_worker_knows_the_storages_origin_by_its_scheme_host_and_port(settings):
    settings.MEDIA_ORIGINS = [
        "https://bucket.example.org:9000/",
        "https://cdn.example.org",
        "https://cdn.example.org/",
    ]
    assert pwa.media_origins() == ["https://bucket.example.org:9000", "https://cdn.example.org"]


@pytest.mark.scaleout
def test_the_worker_may_fetch_a_saved_courses_pictures_from_the_bucket_and_nothing_else(client):
    """Its fetches obey the page's connect-src: the bucket's origin, and no other."""
    from django.conf import settings

    [bucket] = worker_config(client)["media_origins"]
    assert settings.STORAGES["default"]["OPTIONS"]["endpoint_url"].startswith(bucket)
    policy = dict(
        directive.strip().split(" ", 1) for directive in client.get("/")["Content-Security-Policy"].split(";")
    )
    assert policy["connect-src"].split() == ["'self'", bucket]


def test_pages_name_the_signed_in_account_by_a_key_that_is_not_its_id(client):
    assert '<meta name="app-account" content="">' in client.get("/").content.decode()
    user = make_user(email="key.holder@example.org")
    other = make_user(email="other.holder@example.org")
    client.force_login(user)
    html = client.get("/learn/").content.decode()
    key = re.search(r'<meta name="app-account" content="([0-9a-f]{20})">', html).group(1)
    assert key == pwa.account_key(user) != pwa.account_key(other)
    assert str(user.pk) != key and key == re.search(
        r'content="([0-9a-f]{20})"', client.get("/en/learn/").content.decode()
    ).group(1)
