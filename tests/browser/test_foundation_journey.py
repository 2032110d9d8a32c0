import pytest

from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_demo_trainer_signs_in_to_the_admin_from_the_home_page(demo, live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", level=1).inner_text() == "อาสาสมัคร พม. ในต่างประเทศ"

    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", "trainer@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("#wagtail").count() or page.locator("body").inner_text()
    assert "trainer@example.org" not in page.url
    assert page.title()


def test_the_language_switcher_keeps_the_page(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
