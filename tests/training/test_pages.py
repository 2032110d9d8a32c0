import pytest
from wagtail.models import Page, Site

from training.models import HomePage

pytestmark = pytest.mark.django_db


def test_the_default_site_is_served_by_a_thai_home_page():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale.language_code == "th"


def test_the_home_page_renders_in_thai_at_the_root(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert 'href="#main"' in html  # skip link
    assert "เข้าสู่ระบบ" in html  # "Log in", translated


def test_english_lives_under_the_en_prefix(client):
    response = client.get("/en/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_the_home_page_shows_its_editable_introduction(client):
    home = HomePage.objects.get(depth=2, locale__language_code="th")
    home.intro = "<p>ยินดีต้อนรับอาสาสมัคร</p>"
    home.save_revision().publish()
    assert "ยินดีต้อนรับอาสาสมัคร" in client.get("/").content.decode()


def test_unknown_pages_get_the_translated_404_page(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_page_tree_rules():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert HomePage.can_create_at(Page.objects.get(depth=1))
