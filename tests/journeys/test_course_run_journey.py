"""Issue 21's journey, on phones against the site as production serves it, over the seeded demo: a
newcomer enrols in the refresher course's second run and sees its deadline, opens its live session
(the time in Norway and in Bangkok, no meeting link yet), adds it to their calendar (the .ics
parses), is marked present by the trainer in the admin, finishes the lessons, is asked for the
evaluation and only after sending it receives the certificate, whose PDF, verify page and signed
credential carry its expiry three years on."""

import datetime
import re
import subprocess
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import confirm_email, decode_qr, sign_up, staff_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "live-session-journey-2026"
COURSE = "/courses/orientation-refresher/"
NAMES = {
    "given_name_th": "ดวงใจ",
    "family_name_th": "ร่วมวง",
    "given_name_en": "Duangjai",
    "family_name_en": "Ruamwong",
}


def newcomer(page, site) -> str:
    email = f"duangjai.{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/accounts/signup/")
    sign_up(page, email=email, password=PASSWORD)
    confirm_email(page, site, email=email)
    page.goto("/accounts/profile/")
    for field, value in NAMES.items():
        page.fill(f"input[name={field}]", value)
    page.select_option("select[name=country]", "NO")
    page.locator("main form:has(input[name=given_name_th]) button[type=submit]").click()
    page.wait_for_load_state()
    return email


def finish_the_lessons(page) -> int:
    """Mark every lesson done from the course page's "Start"/"Continue" until the course asks for
    the evaluation; returns how many lessons were marked."""
    for done in range(20):
        page.goto(COURSE)
        if page.locator(".course-action .evaluation-call").count():
            return done
        page.locator(".course-action a.button").first.click()
        page.wait_for_load_state()
        with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
            page.locator(".lesson__complete button[type=submit]").click()
        assert posted.value.status in (302, 303), posted.value.status
        page.wait_for_load_state()
    raise AssertionError("the course never asked for the evaluation")


def test_enrol_in_a_run_attend_its_live_session_evaluate_and_get_a_certificate_that_expires(
    site, phone, browser, tmp_path
):
    page = phone.new_page()
    email = newcomer(page, site)

    # The second run takes enrolments (the first is full); enrolling shows its deadline.
    page.goto(COURSE)
    offer = page.locator(".course-run", has_text="รุ่นที่ 2")
    expect(offer.locator("button")).to_contain_text("ลงทะเบียนเรียนรุ่นนี้")
    offer.locator("button").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("ลงทะเบียนเรียนเรียบร้อยแล้ว")  # on the first lesson
    page.goto(COURSE)
    deadline = page.locator(".course-action .run-deadline")
    expect(deadline).to_contain_text("เรียนจบภายใน")
    expect(deadline).to_contain_text(re.compile(r"เหลืออีก \d+ วัน"))

    # The run's live session: in Norway's time and Bangkok's, the meeting link not shown yet.
    page.locator(".live-sessions a", has_text="วงสนทนาเปิดรุ่น").click()
    page.wait_for_load_state()
    main = page.locator("main")
    expect(main).to_contain_text("เวลานอร์เวย์")
    expect(main).to_contain_text("ตามเวลากรุงเทพฯ")
    expect(main).to_contain_text("ลิงก์การประชุมจะปรากฏที่นี่")
    assert "meet.jit.si" not in page.content()
    session_url = page.url

    # Added to the calendar: the file is an RFC 5545 event at the session's time, linking to its page.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"เพิ่มลงในปฏิทินของฉัน")).click()
    body = download.value.path().read_bytes()
    calendar = icalendar.Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    assert "วงสนทนาเปิดรุ่น" in str(event["SUMMARY"])
    starts = event.decoded("DTSTART")
    assert starts.tzinfo is not None and starts.utcoffset() == datetime.timedelta(0)
    assert str(event["URL"]) == session_url
    assert b"meet.jit.si" not in body and NAMES["given_name_th"].encode() not in body

    # The trainer marks her present in the admin's attendance list of the session.
    trainer, trainer_watch = open_context(browser, site, viewport={"width": 1280, "height": 900})
    admin = trainer.new_page()
    staff_sign_in(admin, site, email="trainer@example.org")
    session_id = re.search(r"/learn/sessions/(\d+)/", session_url).group(1)
    admin.goto("/admin/snippets/courses/livesession/")
    admin.locator(f"a[href$='/live-sessions/{session_id}/attendance/']").click()
    admin.wait_for_load_state()
    row = admin.locator("tr", has_text=email)
    expect(row).to_contain_text(f"{NAMES['given_name_th']} {NAMES['family_name_th']}")
    row.locator("input[type=checkbox]").check()
    admin.locator("main form:has(input[type=checkbox]) button[type=submit]").click()
    admin.wait_for_load_state()
    expect(admin.locator("tr", has_text=email).locator("input[type=checkbox]")).to_be_checked()
    trainer.close()
    assert trainer_watch.problems == [], "\n".join(trainer_watch.problems)
    page.goto(session_url)
    expect(page.locator("main")).to_contain_text("วิทยากรบันทึกแล้วว่าท่านเข้าร่วม")

    # The lessons done, the course asks for the evaluation: no certificate before it is sent.
    assert finish_the_lessons(page) >= 2
    expect(page.locator(".course-completed")).to_have_count(0)
    page.locator(".course-action .evaluation-call a").click()
    page.wait_for_load_state()
    for question in page.locator(".evaluation-question--rating").all():
        question.locator("label.quiz-choice").nth(3).click()
    page.locator(".evaluation-question--choice label.quiz-choice").first.click()
    page.locator(".evaluation-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/courses/orientation-refresher/$"))

    # Now the certificate, valid for three years: the PDF says so in Thai and English.
    pdf_link = page.locator(".course-completed a[href$='.pdf']")
    expect(pdf_link).to_be_visible()
    pdf = phone.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200
    (tmp_path / "text.pdf").write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "text.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Valid through the same day 36 months on, in Bangkok's calendar.
    expires_year = datetime.datetime.now(ZoneInfo("Asia/Bangkok")).year + 3
    assert "ใช้ได้ถึงวันที่" in text and "Valid until" in text and str(expires_year) in text

    # A stranger who scans its QR code sees it valid until then; the signed credential says so too.
    verify_url = decode_qr(pdf.body(), tmp_path)
    stranger, stranger_watch = open_context(browser, site)
    anonymous = stranger.new_page()
    anonymous.goto(verify_url)
    expect(anonymous.locator(".verify")).to_have_class(re.compile(r"verify--valid"))
    expect(anonymous.locator("main")).to_contain_text("ใช้ได้ถึงวันที่")
    expect(anonymous.locator("main")).to_contain_text(str(expires_year + 543))
    credential = stranger.request.get(verify_url.rstrip("/") + ".json").json()
    assert credential["validUntil"].startswith(str(expires_year))
    stranger.close()
    assert stranger_watch.problems == [], "\n".join(stranger_watch.problems)
