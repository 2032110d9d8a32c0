"""Staff open the charts over the seeded demo on a phone: five SVG charts that fit the screen, in
Thai with Buddhist Era months and then in English, their numbers one click away, a country filter
that keeps to that country; axe finds no serious violation in either language."""

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from courses.reports.dashboard import month_start
from tests.conftest import PHONE, axe_violations
from tests.factories import english_admin
from training.dates import format_month
from volunteers.countries import country_name
from volunteers.demo import DEMO_PASSWORD
from volunteers.models import User

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(demo, live_server):
    return live_server.url


def test_staff_read_the_charts_on_a_phone_in_thai_and_in_english(demo, page):
    page.set_viewport_size(PHONE)
    page.goto(demo + "/admin/login/")
    page.fill("input[name=username]", "staff@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(demo + "/admin/")
    # The dashboard shows completions per month and the funnel, with a way to all the charts.
    expect(page.locator("section.report-chart svg")).to_have_count(2)

    page.goto(demo + "/admin/reports/charts/")
    charts = page.locator("section.report-chart")
    expect(charts).to_have_count(5)
    this_month = month_start().date()
    expect(charts.first.locator("svg")).to_contain_text(format_month(this_month, "th", short=True))
    for svg in charts.locator("svg").all():
        box = svg.bounding_box()
        assert box["width"] > 250 and box["x"] + box["width"] <= PHONE["width"]
    numbers = charts.first.locator("details")
    with translation.override(settings.LANGUAGE_CODE):
        numbers.get_by_text(translation.gettext("Show the numbers")).click()
    expect(numbers.locator("table")).to_be_visible()
    expect(numbers.locator("table")).to_contain_text(str(this_month.year + 543))
    assert axe_violations(page) == []

    # Norway only: the funnel keeps to Norway.
    page.select_option("#id_country", "NO")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/admin/reports/charts/?*country=NO*")
    funnel = page.locator("section.report-chart").nth(1)
    expect(funnel.locator("tbody tr")).to_have_count(1)
    expect(funnel.locator("tbody")).to_contain_text(country_name("NO", "th"))

    english_admin(User.objects.get(email="staff@example.org"))
    page.goto(demo + "/admin/reports/charts/")
    expect(page.locator("h1")).to_contain_text("Charts")
    expect(page.locator("section.report-chart").first).to_contain_text("Course completions per month")
    expect(page.locator("section.report-chart").first.locator("svg")).to_contain_text(
        format_month(this_month, "en", short=True)
    )
    assert axe_violations(page) == []
