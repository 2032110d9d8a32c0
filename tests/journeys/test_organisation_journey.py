"""Issue 22's journey, on phones against the site as production serves it, over the seeded demo: a
newcomer applies naming the Thai Association in Norway and completes the platform course; the
association's leader (told by mail) signs in with two-step verification on the site, sees the
applicant by name only and endorses the application; staff see the endorsement on the record in the
admin and register her; the leader then sees her as a registered member with her completed course,
and her profile says who can see her progress."""

import random
import re
import string
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import (
    code_from,
    complete_course,
    confirm_email,
    sign_up,
    staff_sign_in,
)
from volunteers.demo import DEMO_LEADER, DEMO_PASSWORD

pytestmark = pytest.mark.browser

PASSWORD = "organisation-journey-2026"
ORGANISATION = "สมาคมไทยในนอร์เวย์"
PLATFORM_COURSE = "/courses/how-to-use-this-platform/"
# A Latin family name of its own each run, so a site served again for the next run tells her apart.
NAMES = {
    "given_name_th": "บุษบา",
    "family_name_th": "สมาชิกใหม่",
    "given_name_en": "Butsaba",
    "family_name_en": "Samachik" + "".join(random.choice(string.ascii_lowercase) for _ in range(6)),
}


def applies_naming_the_organisation(page, site, *, phone: str) -> str:
    email = f"butsaba.{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/accounts/signup/")
    sign_up(page, email=email, password=PASSWORD)
    confirm_email(page, site, email=email)
    page.goto("/accounts/profile/")
    for field, value in NAMES.items():
        page.fill(f"input[name={field}]", value)
    page.select_option("select[name=country]", "NO")
    page.select_option("select[name=organization]", label=ORGANISATION)
    page.fill("input[name=phone]", phone)
    page.locator("main form:has(input[name=given_name_th]) button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".profile-organisation")).to_contain_text("ผู้นำองค์กรยังไม่ได้ยืนยันว่าท่านเป็นสมาชิก")
    return email


def mail_ids(site, address: str) -> set[str]:
    return {mail["Message-ID"] for mail in site.mails() if address in mail["To"]}


def text_of(mail) -> str:
    """A mail's plain text. (Parsed from text, an 8-bit part's `get_payload(decode=True)` escapes
    its Thai as \\uXXXX; the text itself is what the person reads.)"""
    part = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    if part.get("Content-Transfer-Encoding", "").lower() in ("", "7bit", "8bit"):
        return part.get_payload()
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def new_mail_to(site, address: str, *, seen: set[str], containing: str, seconds: float = 90) -> str:
    """The body of a mail to `address` not among `seen` whose text matches `containing`, waiting for
    the worker (which may still be delivering the demo's own mail)."""
    deadline = time.monotonic() + seconds
    while True:
        for mail in site.mails():
            if address in mail["To"] and mail["Message-ID"] not in seen:
                body = text_of(mail)
                if re.search(containing, body, re.MULTILINE):
                    return body
        assert time.monotonic() < deadline, (
            f"no new mail to {address} matching {containing!r} after {seconds} s"
        )
        time.sleep(0.3)


def leader_sign_in(
    page, site, *, email: str, next_path: str = "/organisation/", landing: str = r".*/organisation/\d+/$"
) -> None:
    """Sign in on the site as a leader: the password, then (production requires it) an authenticator
    app set up on the site's own two-step pages, after a code mailed to the account; the leader
    lands on `landing` (by default their one organisation's page)."""
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/two-step/(setup|verify)/.*"))
    kept = site.folder / f"authenticator-{email}"
    setting_up = "/setup/" in page.url
    if setting_up:
        seen = mail_ids(site, email)
        page.locator("main form:has(input[name=action]) button").click()
        page.locator("input[name=code]").wait_for()
        body = new_mail_to(site, email, seen=seen, containing=r"^\s*\d{6}\s*$")
        page.fill("input[name=code]", re.search(r"^\s*(\d{6})\s*$", body, re.MULTILINE).group(1))
        page.locator("main form button[type=submit]").first.click()
        kept.write_text(page.locator("#two-factor-secret").inner_text().strip())
    # A code works once: a sign-in again within the same 30 s waits for the next, as a person would.
    used = site.folder / f"authenticator-{email}.used"
    code = code_from(kept.read_text())
    while used.exists() and used.read_text() == code:
        time.sleep(1)
        code = code_from(kept.read_text())
    page.fill("input[name=code]", code)
    used.write_text(code)
    page.locator("main form button[type=submit]").first.click()
    if setting_up:
        page.wait_for_url(re.compile(r".*/accounts/two-step/recovery-codes/$"))
        expect(page.locator("#two-factor-recovery-codes code")).to_have_count(10)
        page.locator("main a.button").click()
    page.wait_for_url(re.compile(landing))


def test_an_applicant_is_endorsed_by_her_leader_registered_by_staff_and_followed_by_the_leader(
    site, phone, browser
):
    page = phone.new_page()
    told_before = mail_ids(site, DEMO_LEADER)
    applicant_phone = f"+47 9{uuid.uuid4().int % 10**7:07d}"
    email = applies_naming_the_organisation(page, site, phone=applicant_phone)
    page.goto(PLATFORM_COURSE)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()
    assert complete_course(page, PLATFORM_COURSE)["lessons"] >= 1

    # The leader is told by mail that an applicant waits for the endorsement.
    notice = new_mail_to(site, DEMO_LEADER, seen=told_before, containing="ระบุองค์กรของท่าน")
    assert "ระบุองค์กรของท่าน" in notice and "/organisation/" in notice
    assert NAMES["given_name_th"] not in notice and email not in notice

    # On the site, with two-step verification: the applicant by name only; the leader endorses.
    leader, leader_watch = open_context(browser, site)
    board = leader.new_page()
    leader_sign_in(board, site, email=DEMO_LEADER)
    organisation_url = board.url
    request = board.locator(".organisation-request", has_text=NAMES["family_name_en"])
    expect(request).to_contain_text("ท่านรับรองใบสมัครนี้หรือไม่")
    assert email not in request.inner_text() and applicant_phone not in board.content()
    profile_id = request.get_attribute("id").removeprefix("request-")
    applicant_mail = mail_ids(site, email)
    request.get_by_role("button", name=re.compile("รับรองใบสมัคร")).click()
    board.wait_for_load_state()
    expect(board.locator("main")).to_contain_text("รับรองใบสมัครแล้ว")
    member = board.locator(f"#member-{profile_id}")
    expect(member.locator(".organisation-member__status")).to_contain_text("ผู้สมัคร")

    # Two browsers at a time at most, as a person has: the leader's closes while staff work.
    leader.close()
    assert leader_watch.problems == [], "\n".join(leader_watch.problems)

    # She is told by mail.
    told = new_mail_to(site, email, seen=applicant_mail, containing="รับรองใบสมัครของท่านแล้ว")
    assert "/accounts/profile/" in told

    # Staff see who endorsed her and when, and register her (a reason for the required course).
    office, office_watch = open_context(browser, site, viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    staff_sign_in(admin, site)
    admin.goto(f"/admin/volunteers/people/inspect/{profile_id}/")
    endorsement = admin.locator(".record-endorsement")
    expect(endorsement).to_contain_text(re.compile("รับรองแล้ว|Endorsed"))
    expect(endorsement).to_contain_text(re.compile("กัญญา|Kanya"))
    admin.goto(
        f"/admin/bulk/volunteers/volunteerprofile/register/?id={profile_id}"
        f"&next=/admin/volunteers/people/inspect/{profile_id}/"
    )
    confirmation = admin.locator("main")
    expect(confirmation).to_contain_text(NAMES["given_name_th"])
    assert not re.search("การรับรองจากผู้นำองค์กร|endorsement of the organisation", confirmation.inner_text())
    admin.fill("textarea[name=override_reason]", "ผ่านการอบรมหลักสูตรเทียบเท่าแล้ว")
    admin.locator("main form button[type=submit]").click()
    admin.wait_for_url(re.compile(rf".*/admin/volunteers/people/inspect/{profile_id}/$"))
    office.close()
    assert office_watch.problems == [], "\n".join(office_watch.problems)

    # The leader, signed in again, sees her registered with her volunteer number and her course.
    leader, leader_watch = open_context(browser, site)
    board = leader.new_page()
    leader_sign_in(board, site, email=DEMO_LEADER)
    assert board.url == organisation_url
    member = board.locator(f"#member-{profile_id}")
    expect(member.locator(".organisation-member__status")).to_contain_text("อาสาสมัครที่ขึ้นทะเบียนแล้ว")
    expect(member.locator(".organisation-member__status")).to_contain_text(re.compile(r"OV-?\d"))
    expect(member.locator(".organisation-member__completed")).to_contain_text("วิธีใช้งานแพลตฟอร์มนี้")
    expect(member.locator(".organisation-member__completed")).to_contain_text("เรียนจบเมื่อ")
    assert applicant_phone not in member.inner_text()  # she did not agree to share it
    leader.close()
    assert leader_watch.problems == [], "\n".join(leader_watch.problems)

    # Her profile names who can see her progress: the association's leader.
    page.goto("/accounts/profile/")
    expect(page.locator(".profile-leaders")).to_contain_text("กัญญา")
    expect(page.locator(".profile-organisation")).to_contain_text("ผู้นำองค์กรของท่านรับรองใบสมัครของท่านแล้ว")
