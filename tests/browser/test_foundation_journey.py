import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_the_demo_trainer_signs_in_to_the_admin_from_the_home_page(demo, live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", level=1).inner_text() == "อาสาสมัคร พม. ในต่างประเทศ"

    page.goto(live_server.url + "/admin/")
    assert "/admin/login/" in page.url
    # A wrong password leaves the trainer on the sign-in form.
    page.fill("input[name=username]", "trainer@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD + "-wrong")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "/admin/login/" in page.url
    expect(page.locator("input[name=password]")).to_have_count(1)

    page.fill("input[name=username]", "trainer@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    # The dashboard, signed in as the demo trainer, with a trainer's menu (no volunteer register).
    expect(page.locator("input[name=password]")).to_have_count(0)
    with translation.override("th"):
        dashboard, register = gettext("Dashboard"), gettext("Volunteer register")
    assert page.title().startswith(dashboard.split(",")[0])
    sidebar = page.locator("#wagtail-sidebar")
    expect(sidebar).to_contain_text("วิชัย")
    expect(page.locator("main")).to_contain_text("วิชัย สอนเก่ง")
    expect(sidebar).not_to_contain_text(register)
    assert "trainer@example.org" not in page.url


def test_the_language_switcher_keeps_the_page(live_server, page):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
