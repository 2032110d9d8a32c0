"""Issue 22's certification journey, on phones against the site as production serves it, over the
seeded demo: staff make the demo leader a leader of a new foundation; she drafts its public-benefit
certification application on the site (details, a board member, a PDF) and submits it; staff ask
for a change in the admin; she answers and sends it again; staff approve with a number and an
expiry date; she sees the foundation certified with both, and the application's audit log in the
admin holds every step. Finally staff end her leadership of the foundation, so the demo is as before."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import leader_sign_in, staff_sign_in
from volunteers.demo import DEMO_LEADER

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
QUESTION = "โปรดระบุจำนวนผู้ได้รับความช่วยเหลือในปีที่ผ่านมา"
ANSWER = "ปีที่ผ่านมาช่วยเหลือคนไทยประมาณ 120 คน"
NUMBER = f"พส. {uuid.uuid4().int % 10**4:04d}/2569"


def new_foundation_led_by_the_demo_leader(admin, name: str) -> int:
    admin.goto("/admin/volunteers/organisations/add/")
    admin.fill("input[name=name_th]", name)
    admin.select_option("select[name=country]", "NO")
    admin.locator("button.action-save").click()
    admin.wait_for_url(re.compile(r".*/admin/volunteers/organisations/(\?.*)?$"))
    admin.goto(f"/admin/volunteers/organisations/?q={name.split()[-1]}")
    href = admin.locator("a[href*='/leaders/']").first.get_attribute("href")
    organization_id = int(re.search(r"/organisations/(\d+)/leaders/", href).group(1))
    admin.goto(href)
    admin.fill("input[name=email]", DEMO_LEADER)
    admin.locator("main form:has(input[name=email]) button[type=submit]").click()
    admin.wait_for_load_state()
    return organization_id


def staff_decide(browser, site, organization_name: str, action: str, fields: dict) -> None:
    office, watch = open_context(browser, site, viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    staff_sign_in(admin, site)
    admin.goto("/admin/volunteers/certification/")
    admin.get_by_role("link", name=organization_name).first.click()
    admin.wait_for_load_state()
    section = admin.locator(f".certification-decision--{action}")
    for name, value in fields.items():
        section.locator(f"[name={name}]").fill(value)
    section.locator("button[type=submit]").click()
    admin.wait_for_load_state()
    expect(admin.locator(".certification-review-state")).to_be_visible()
    office.close()
    assert watch.problems == [], "\n".join(watch.problems)


def test_a_leader_applies_staff_ask_for_a_change_she_answers_and_staff_certify_the_foundation(
    site, browser, tmp_path
):
    name = f"มูลนิธิทดสอบการรับรอง {uuid.uuid4().hex[:6]}"
    office, office_watch = open_context(browser, site, viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    staff_sign_in(admin, site)
    organization_id = new_foundation_led_by_the_demo_leader(admin, name)
    office.close()
    assert office_watch.problems == [], "\n".join(office_watch.problems)

    # The leader, on her phone, in Thai: a draft, a board member, a document; then she submits.
    leader, leader_watch = open_context(browser, site)
    page = leader.new_page()
    home = f"/organisation/{organization_id}/certification/"
    leader_sign_in(page, site, email=DEMO_LEADER, next_path=home, landing=rf".*{home}$")
    page.get_by_role("button", name="เริ่มทำคำขอ").click()
    page.wait_for_url(re.compile(rf".*{home}\d+/$"))
    detail = page.url
    expect(page.locator(".certification-state")).to_contain_text("ฉบับร่าง")
    page.fill("textarea[name=activities]", "ให้คำปรึกษาครอบครัวไทยในนอร์เวย์ทุกเดือน")
    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    page.wait_for_load_state()
    page.fill("input[name=name]", "บุญมี ใจงาม")
    page.fill("input[name=position]", "ประธานมูลนิธิ")
    page.get_by_role("button", name="เพิ่มกรรมการ").click()
    page.wait_for_load_state()
    document = tmp_path / "articles.pdf"
    document.write_bytes(PDF)
    page.fill(".certification-document-form input[name=title]", "ตราสารจัดตั้งมูลนิธิ")
    page.set_input_files("input[name=file]", str(document))
    page.get_by_role("button", name="แนบเอกสาร").click()
    page.wait_for_load_state()
    expect(page.locator(".certification-documents")).to_contain_text("ตราสารจัดตั้งมูลนิธิ")
    page.get_by_role("button", name="ยื่นคำขอ").click()
    page.wait_for_load_state()
    expect(page.locator(".certification-state")).to_contain_text("ยื่นแล้ว")
    leader.close()
    assert leader_watch.problems == [], "\n".join(leader_watch.problems)

    # Staff ask for a change.
    staff_decide(browser, site, name, "request_changes", {"request_changes-message": QUESTION})

    # She reads the question and answers it.
    leader, leader_watch = open_context(browser, site)
    page = leader.new_page()
    leader_sign_in(page, site, email=DEMO_LEADER, next_path=detail, landing=re.escape(detail) + "$")
    expect(page.locator(".certification-state")).to_contain_text("ขอให้แก้ไข")
    expect(page.locator(".certification-history")).to_contain_text(QUESTION)
    page.fill("textarea[name=answer]", ANSWER)
    page.get_by_role("button", name="ตอบและส่งอีกครั้ง").click()
    page.wait_for_load_state()
    expect(page.locator(".certification-state")).to_contain_text("ยื่นใหม่แล้ว")
    leader.close()
    assert leader_watch.problems == [], "\n".join(leader_watch.problems)

    # Staff approve with a number and an expiry date.
    staff_decide(
        browser,
        site,
        name,
        "approve",
        {"approve-certification_number": NUMBER, "approve-expires_on": "2029-06-30"},
    )

    # The foundation is certified, with its number and expiry (Buddhist Era in Thai).
    leader, leader_watch = open_context(browser, site)
    page = leader.new_page()
    leader_sign_in(page, site, email=DEMO_LEADER, next_path=home, landing=rf".*{home}$")
    status = page.locator(".organisation-certification")
    expect(status).to_contain_text("ได้รับการรับรองแล้ว")
    expect(status).to_contain_text(NUMBER)
    expect(status).to_contain_text("2572")
    leader.close()
    assert leader_watch.problems == [], "\n".join(leader_watch.problems)

    # The audit log of the application holds each step; then the demo leader leads one association again.
    office, office_watch = open_context(browser, site, viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    staff_sign_in(admin, site)
    admin.goto("/admin/volunteers/certification/?state=approved")
    admin.get_by_role("link", name=name).first.click()
    admin.wait_for_load_state()
    history = admin.locator(".certification-review-history")
    for step in (
        "เริ่มทำคำขอรับรอง",
        "แนบเอกสารในคำขอ",
        "ยื่นคำขอรับรอง",
        "เจ้าหน้าที่ขอให้แก้ไข",
        "ผู้นำองค์กรตอบและยื่นคำขอใหม่",
        "อนุมัติคำขอรับรอง",
    ):
        expect(history).to_contain_text(step)
    expect(admin.locator(".certification-review-steps")).to_contain_text(ANSWER)
    admin.goto(f"/admin/volunteers/organisations/{organization_id}/leaders/")
    admin.locator("main form:has(input[name=remove]) button[type=submit]").first.click()
    admin.wait_for_load_state()
    office.close()
    assert office_watch.problems == [], "\n".join(office_watch.problems)
