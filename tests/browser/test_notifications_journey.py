"""On a phone, in Thai: a volunteer completes a course, the bell shows one unread notification, the
centre shows the completion with the link to the certificate, and reading it clears the count."""

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from tests.conftest import PHONE
from tests.factories import PASSWORD, make_course_tree, make_volunteer

pytestmark = pytest.mark.browser


def test_the_bell_counts_the_completion_and_the_centre_links_to_the_certificate(live_server, page, settings):
    settings.SITE_URL = live_server.url
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    make_volunteer(email="ratree@example.org", given_name_th="ราตรี", family_name_th="ศรีสุข")

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/accounts/login/?next=" + course.url)
    page.fill("input[name=username]", "ratree@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    bell = page.locator(".site-bell")
    expect(bell).to_have_attribute("aria-label", "การแจ้งเตือน")
    expect(page.locator(".site-bell__count")).to_have_count(0)

    # Enrol, read the one lesson, mark it done: the course completes and the certificate is issued.
    page.locator(".course-action button[type=submit]").click()
    page.locator(".lesson__complete button[type=submit]").click()
    certificate = Certificate.objects.get(volunteer__email="ratree@example.org")

    page.goto(live_server.url + "/learn/")
    expect(bell).to_have_attribute("aria-label", "การแจ้งเตือน 1 รายการที่ยังไม่ได้อ่าน")
    expect(page.locator(".site-bell__count")).to_have_text("1")
    bell_box = bell.bounding_box()
    assert bell_box["width"] >= 44 and bell_box["height"] >= 44  # a touch target on a phone

    bell.click()
    expect(page).to_have_url(live_server.url + "/learn/notifications/")
    line = page.locator(".notification--unread .notification__line")
    expect(line).to_contain_text("คุณเรียนจบหลักสูตร “หลักสูตรปฐมนิเทศ” แล้ว เกียรติบัตรของคุณพร้อมแล้ว")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling

    # Opening it marks it read and leads to the certificate on "My certificates".
    page.locator(".notification--unread button[type=submit]").click()
    expect(page).to_have_url(live_server.url + f"/learn/certificates/#certificate-{certificate.serial}")
    expect(page.locator(f"#certificate-{certificate.serial}")).to_be_visible()
    expect(page.locator(".site-bell__count")).to_have_count(0)
