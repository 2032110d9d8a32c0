"""Issue 23's review journey, against the site as production serves it, over the seeded demo, in the
admin in Thai: the demo trainer rewrites the platform course's summary and submits it for review; the
demo lead trainer asks for a change with a comment, which reaches the trainer by mail; the trainer
fixes it and resubmits; the lead trainer approves; the course page shows the new summary."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import choose_action, mail_with, staff_sign_in

pytestmark = pytest.mark.browser

TRAINER = "trainer@example.org"
LEAD = "lead.trainer@example.org"
SLUG = "how-to-use-this-platform"
COURSE = f"/courses/{SLUG}/"
TITLE = "วิธีใช้งานแพลตฟอร์มนี้"
DESKTOP = {"width": 1280, "height": 900}
COMMENT = "โปรดบอกระยะเวลาเรียนในคำอธิบายด้วย"


def edit_path(context) -> str:
    """The course's edit page in the admin (its id from the admin's own page API, by slug)."""
    answer = context.request.get(f"/admin/api/main/pages/?slug={SLUG}&locale=th")
    assert answer.ok, answer.status
    [item] = answer.json()["items"]
    return f"/admin/pages/{item['id']}/edit/"


def test_a_trainer_submits_a_change_the_lead_trainer_sends_back_and_then_approves(browser, site):
    first = f"หลักสูตรสั้น ๆ แนะนำการใช้งานแพลตฟอร์ม (ฉบับปรับปรุง {uuid.uuid4().hex[:6]})"
    fixed = f"{first} ใช้เวลาประมาณสิบนาที"
    trainer_context, trainer_watch = open_context(browser, site, viewport=DESKTOP)
    lead_context, lead_watch = open_context(browser, site, viewport=DESKTOP)
    trainer, lead = trainer_context.new_page(), lead_context.new_page()

    # The trainer edits the summary and submits it: the course page still shows the old one.
    staff_sign_in(trainer, site, email=TRAINER)
    editor = edit_path(trainer_context)
    trainer.goto(editor)
    trainer.fill("#id_summary", first)
    choose_action(trainer, "button[name='action-submit']")
    trainer.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    trainer.goto(COURSE)
    expect(trainer.locator(".lead")).not_to_contain_text(first)

    # The lead trainer, told by mail, asks for a change with a comment.
    mail_with(site, LEAD, f'หน้า "{TITLE}" ส่งมาให้ตรวจทานในขั้น "ผู้ฝึกอบรมหลักอนุมัติ"')
    staff_sign_in(lead, site, email=LEAD)
    lead.goto(editor)
    expect(lead.locator("#id_summary")).to_have_value(first)
    choose_action(lead, "button[data-workflow-action-name='reject']")
    lead.locator("textarea[name=comment]").fill(COMMENT)
    lead.locator(".modal form button[type=submit]").click()
    lead.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))

    # The trainer reads the comment in the mail, fixes the summary and submits it again.
    assert COMMENT in mail_with(site, TRAINER, COMMENT)
    trainer.goto(editor)
    trainer.fill("#id_summary", fixed)
    choose_action(trainer, "button[name='action-submit']")
    trainer.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))

    # The lead trainer approves: the course is live with the fixed summary.
    lead.goto(editor)
    expect(lead.locator("#id_summary")).to_have_value(fixed)
    choose_action(lead, "button[data-workflow-action-name='approve']")
    lead.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    lead.goto(COURSE)
    expect(lead.locator(".lead")).to_have_text(fixed)
    mail_with(site, TRAINER, f'หน้า "{TITLE}" ผ่านการอนุมัติ')

    for context, watch in ((trainer_context, trainer_watch), (lead_context, lead_watch)):
        context.close()
        assert watch.problems == [], "\n".join(watch.problems)
