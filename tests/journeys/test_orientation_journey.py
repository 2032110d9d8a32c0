"""A new volunteer, on a phone, against the site as production serves it (HTTPS, production settings
and middleware, CSP), over the seeded demo: signs up, confirms the address, finds the catalog from the
home page, completes the whole orientation course (every lesson, the sensitive ones included, and every
quiz), gets the certificate, downloads the PDF, decodes its QR code and verifies it as a stranger;
staff revoke it and the verify page says so. In Thai, then the key steps in English."""

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import (
    complete_course,
    confirm_email,
    decode_qr,
    find_course_from_home,
    sign_up,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

PASSWORD = "orientation-journey-2026"


def earn_the_orientation_certificate(page, site, *, home: str, course_title: str, names: dict) -> str:
    """A newcomer's way from the home page to the orientation certificate; returns the PDF's address."""
    email = f"{names['given_name_en'].lower()}.{uuid.uuid4().hex[:8]}@example.org"
    course_url = find_course_from_home(page, home, course_title)

    # Sign up from the course page; the confirmation link arrives by mail.
    page.locator(".course-action a[href*='/accounts/signup/']").click()
    sign_up(page, email=email, password=PASSWORD)
    confirm_email(page, site, email=email)

    # The name the certificate will carry.
    page.goto(home.rstrip("/") + "/accounts/profile/")
    for field, value in names.items():
        page.fill(f"input[name={field}]", value)
    page.select_option("select[name=country]", "NO")
    page.locator("main form:has(input[name=given_name_th]) button[type=submit]").click()
    page.wait_for_load_state()

    # Enrol and do everything the course asks, sensitive lessons and quizzes included.
    page.goto(course_url)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()
    done = complete_course(page, course_url)
    assert done["sensitive"] >= 3, done
    assert done["quizzes"] >= 5, done

    # The completed course leads to the certificate just earned, and "my certificates" offers its PDF.
    page.goto(course_url)
    certificate_link = page.locator("main a[href*='/certificates/']").first
    expect(certificate_link).to_be_visible()
    certificate_link.click()
    page.wait_for_load_state()
    page.goto(home.rstrip("/") + "/learn/certificates/")
    return page.locator("main a[href$='.pdf']").first.get_attribute("href")


def notification_centre(page, *texts: str, seconds: float = 60) -> int:
    """Follow the header's bell to the notification centre until the worker has delivered
    notifications holding `texts`; returns the unread count the bell showed on the same page (the
    worker may deliver one between two pages)."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto("/learn/")
        page.locator("header a.site-bell").click()
        page.wait_for_load_state()
        count = page.locator("header .site-bell__count")
        unread = int(count.inner_text()) if count.count() else 0
        lines = page.locator("main .notification-list").inner_text() if unread else ""
        if all(text in lines for text in texts):
            return unread
        if time.monotonic() > deadline:
            raise AssertionError(f"the notification centre lacks {texts} after {seconds} s: {lines!r}")
        time.sleep(0.5)


def download_and_scan(context, site, pdf_href: str, tmp_path) -> str:
    pdf = context.request.get(pdf_href)
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    verify_url = decode_qr(pdf.body(), tmp_path)
    assert verify_url.startswith(site.url + "/verify/"), verify_url
    return verify_url


def test_in_thai_a_newcomer_earns_the_orientation_certificate_anyone_verifies_it_staff_revoke_it(
    site, phone, browser, tmp_path
):
    page = phone.new_page()
    pdf_href = earn_the_orientation_certificate(
        page,
        site,
        home="/",
        course_title="ปฐมนิเทศ",
        names={
            "given_name_th": "นกน้อย",
            "family_name_th": "ใจงาม",
            "given_name_en": "Noknoi",
            "family_name_en": "Jai-ngam",
        },
    )
    assert page.locator("html").get_attribute("lang") == "th"
    verify_url = download_and_scan(phone, site, pdf_href, tmp_path)

    # Anyone with the link (no account) sees a valid certificate with the holder's name.
    stranger, stranger_watch = open_context(browser, site)
    anonymous = stranger.new_page()
    anonymous.goto(verify_url)
    expect(anonymous.locator(".verify")).to_have_class(re.compile(r"verify--valid"))
    expect(anonymous.locator("main")).to_contain_text("นกน้อย")
    # The stored PDF is not a public file: only the permission-checked view serves it.
    assert stranger.request.get(pdf_href, max_redirects=0).status in (302, 403, 404)

    # Staff revoke it in the admin, with a reason.
    staff, staff_watch = open_context(browser, site)
    admin = staff.new_page()
    staff_sign_in(admin, site)
    admin.goto("/admin/certificates/issued/?q=" + "นกน้อย")
    admin.locator("tbody tr a[href*='/admin/certificates/issued/']").first.click()
    admin.wait_for_load_state()
    admin.locator("#w-slim-header-buttons .w-dropdown__toggle").click()  # the page's actions menu
    admin.locator("a[href*='/revoke/']").click()
    reason = "ออกให้ผิดคน (ทดสอบเส้นทางผู้ใช้)"
    admin.fill("textarea[name=reason]", reason)
    admin.locator("main form button[type=submit]").last.click()
    admin.wait_for_load_state()
    staff.close()
    assert staff_watch.problems == [], "\n".join(staff_watch.problems)

    # The verify page says revoked; the holder sees why, and nothing that passes for a valid certificate.
    anonymous.goto(verify_url)
    expect(anonymous.locator(".verify")).to_have_class(re.compile(r"verify--revoked"))
    stranger.close()
    assert stranger_watch.problems == [], "\n".join(stranger_watch.problems)
    page.goto("/learn/certificates/")
    expect(page.locator("main")).to_contain_text(reason)
    expect(page.locator("main a[href$='.pdf']")).to_have_count(0)

    # The bell counts what happened (address confirmed, course completed, certificate revoked); the
    # completion message leads to the certificate, and the revocation gives its reason.
    assert notification_centre(page, "คุณเรียนจบหลักสูตร “ปฐมนิเทศ", reason) >= 3
    completed = page.locator("main .notification", has_text="คุณเรียนจบหลักสูตร “ปฐมนิเทศ")
    completed.locator("button").click()
    page.wait_for_load_state()
    assert re.search(r"/learn/certificates/#certificate-MSDHS-\d{4}-\d{6}$", page.url), page.url


def test_in_english_a_newcomer_earns_the_orientation_certificate_and_anyone_verifies_it(
    site, browser, tmp_path
):
    context, watched = open_context(browser, site, locale="en-GB")
    page = context.new_page()
    pdf_href = earn_the_orientation_certificate(
        page,
        site,
        home="/en/",
        course_title="Orientation",
        names={
            "given_name_th": "แอนนา",
            "family_name_th": "ฮันเซน",
            "given_name_en": "Anna",
            "family_name_en": "Hansen",
        },
    )
    assert page.locator("html").get_attribute("lang") == "en"
    verify_url = download_and_scan(context, site, pdf_href, tmp_path)
    page.goto(verify_url)
    expect(page.locator(".verify")).to_have_class(re.compile(r"verify--valid"))
    expect(page.locator("main")).to_contain_text("Anna Hansen")
    context.close()
    assert watched.problems == [], "\n".join(watched.problems)
