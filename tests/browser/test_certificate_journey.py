"""A volunteer downloads their certificate, its QR code opens the verify page, staff revoke it."""

import subprocess

import pytest
from playwright.sync_api import expect

from certificates import credentials
from certificates.models import Certificate
from tests.browser.steps import forget_the_browser
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.browser


def decode_qr(pdf_path, tmp_path) -> str:
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf_path), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_download_the_pdf_scan_its_qr_code_and_see_it_revoked(live_server, page, settings, tmp_path):
    settings.SITE_URL = live_server.url
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    make_volunteer(email="ratree@example.org", given_name_th="ราตรี", family_name_th="ศรีสุข")
    staff = make_user(group="Staff")

    # The volunteer enrols, reads the one lesson and marks it done: the course completes.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/accounts/login/?next=" + course.url)
    page.fill("input[name=username]", "ratree@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.locator(".course-action button[type=submit]").click()
    page.locator(".lesson__complete button[type=submit]").click()
    certificate = Certificate.objects.get(volunteer__email="ratree@example.org")

    # The dashboard offers the certificate.
    page.goto(live_server.url + "/learn/")
    with page.expect_download() as download_info:
        page.locator(".dashboard-course__certificate a[href$='.pdf']").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")

    verify_url = decode_qr(pdf_path, tmp_path)
    assert verify_url == f"{live_server.url}/verify/{certificate.grouped_token}/"
    page.goto(verify_url)
    expect(page.locator(".verify__status")).to_contain_text("This certificate is valid")
    expect(page.locator("main")).to_contain_text("ราตรี ศรีสุข")

    # Staff revoke it in the admin with a reason.
    forget_the_browser(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + f"/admin/certificates/issued/{certificate.pk}/revoke/")
    page.fill("textarea[name=reason]", "ออกให้ผิดหลักสูตร")
    page.locator("main button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(certificate.serial)

    page.goto(verify_url)
    expect(page.locator(".verify__status")).to_contain_text("This certificate has been revoked")
    status_list = page.request.get(live_server.url + "/certificates/status/revocation.json").json()
    assert credentials.status_list_is_set(
        status_list["credentialSubject"]["encodedList"], certificate.status_index
    )
