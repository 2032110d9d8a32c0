"""Issue 22's country coordinator, against the site as production serves it, over the seeded demo:
the demo's coordinator for Norway signs in to the admin with two-step verification on a phone and
meets Norway's volunteers only (the register and its search, a Swedish record's own address, the
completions report's CSV, the certificates and the verify tool); staff add Sweden to her countries
on the appointing page, and she then finds the Swedish volunteer; staff set her back to Norway."""

import csv
import io
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import staff_sign_in

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.no@example.org"
NORWEGIAN = "มั่นคง"  # prasert.no's family name
# malai.se, registered, her certificate revoked (the demo's Danish Wanida is a แสงทอง too)
SWEDE = ("มาลัย แสงทอง", "Malai Saengthong")
SEARCH = "มาลัย"
OFFICE = {"width": 1280, "height": 900}


def register_search(page, words: str):
    page.goto("/admin/volunteers/people/?q=" + quote(words))
    return page.locator("main")


def countries_set(page, coordinator_id: str, countries: set[str]) -> None:
    page.goto(f"/admin/volunteers/coordinators/?edit={coordinator_id}")
    for box in page.locator("input[name=countries]").all():
        box.set_checked(box.get_attribute("value") in countries)
    page.locator("#coordinator-form ~ form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/volunteers/coordinators/$"))


def test_a_coordinator_for_norway_meets_norway_only_until_staff_add_sweden(site, browser):
    # Staff look up the Swedish volunteer's record and certificate, as they may.
    office, office_watch = open_context(browser, site, viewport=OFFICE)
    admin = office.new_page()
    staff_sign_in(admin, site)
    row = register_search(admin, SEARCH).locator("tbody tr", has_text=SWEDE[0])
    record_url = row.locator("a[href*='/admin/volunteers/people/']").first.get_attribute("href")
    profile_id = re.search(r"/(\d+)/$", record_url).group(1)
    admin.goto("/admin/certificates/issued/?q=Malai")
    serial = re.search(r"MSDHS-\d{4}-\d{6}", admin.locator("main").inner_text()).group(0)
    admin.goto("/admin/volunteers/coordinators/")
    coordinator_row = admin.locator("tbody tr", has_text=COORDINATOR)
    coordinator_id = re.search(
        r"edit=(\d+)", coordinator_row.locator("a[href*='edit=']").get_attribute("href")
    ).group(1)

    # The coordinator, on her phone: the register lists Norway's volunteers and finds no Swede.
    phone, phone_watch = open_context(browser, site)
    page = phone.new_page()
    staff_sign_in(page, site, email=COORDINATOR)
    page.goto("/admin/volunteers/people/")
    expect(page.locator("main")).to_contain_text(NORWEGIAN)
    assert not any(name in page.locator("main").inner_text() for name in SWEDE)
    assert not any(name in register_search(page, SEARCH).inner_text() for name in SWEDE)
    assert page.locator("main tbody tr", has_text=SWEDE[0]).count() == 0

    # A Swedish record's own address is not found, as if it did not exist.
    record = phone.request.get(f"/admin/volunteers/people/inspect/{profile_id}/")
    assert record.status == 404
    assert not any(name in record.text() for name in SWEDE)

    # The completions report's CSV holds Norway's rows only.
    export = phone.request.get("/admin/reports/completions/?export=csv")
    assert export.ok
    rows = list(csv.reader(io.StringIO(export.body().decode("utf-8-sig"))))
    assert len(rows) > 1
    assert not any(name in export.body().decode("utf-8-sig") for name in SWEDE)

    # Certificates: none of Sweden's listed; the verify tool says it exists abroad, nothing more.
    page.goto("/admin/certificates/issued/")
    assert serial not in page.locator("main").inner_text()
    page.goto("/admin/certificates/issued/verify/")
    page.locator("main input[type=text]").first.fill(serial)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("นอกประเทศที่ดูแล")
    assert not any(name in page.locator("main").inner_text() for name in SWEDE)

    # Staff add Sweden to her countries; she then finds the Swedish volunteer.
    countries_set(admin, coordinator_id, {"NO", "SE"})
    expect(admin.locator(".messages")).to_contain_text("สวีเดน")
    expect(register_search(page, SEARCH).locator("tbody tr", has_text=SWEDE[0])).to_have_count(1)
    assert phone.request.get(f"/admin/volunteers/people/inspect/{profile_id}/").status == 200

    # Back to Norway only, as the demo has her (a site served again for the next run stays so).
    countries_set(admin, coordinator_id, {"NO"})
    assert phone.request.get(f"/admin/volunteers/people/inspect/{profile_id}/").status == 404
    for context, watch in ((phone, phone_watch), (office, office_watch)):
        context.close()
        assert watch.problems == [], "\n".join(watch.problems)
