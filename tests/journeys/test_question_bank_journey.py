"""Issue 23's question bank journey, against the site as production serves it, over the seeded demo,
in the admin in Thai: the demo trainer downloads the spreadsheet template, fills in 20 questions and
imports them under a new tag, imports 10 more from a GIFT file (and sees a malformed one refused
with its line, importing nothing), builds a quiz drawing questions at random from the tag and
submits it for review; the demo lead trainer asks for a change; the trainer fixes it and resubmits;
the lead trainer approves, and the quiz is live, drawing 5 questions for each attempt.

The quiz goes into the follow-up course (case-practice), a module of which the trainer may edit: no
other journey walks that course (the orientation course's quizzes are answered from the demo's own
definitions by the orientation journey, the platform course is completed by the organisation
journey and the refresher by the course-run journey; a quiz drawn from the bank would stop all
three). The demo's pending change to that course is on the course page itself, a separate page
from the new quiz, and stays as it is. Each run adds its own quiz and tag, so the shared site stays
reusable."""

import os
import re
import uuid
from io import BytesIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.journeys.conftest import open_context
from tests.journeys.steps import choose_action, mail_with, staff_sign_in

pytestmark = pytest.mark.browser

TRAINER = "trainer@example.org"
LEAD = "lead.trainer@example.org"
COURSE_SLUG = "case-practice"  # the course and its module share the slug
COURSE = f"/courses/{COURSE_SLUG}/"
MODULE = f"{COURSE}{COURSE_SLUG}/"
IMPORT = "/admin/courses/question-bank/import/"
BANK = "/admin/snippets/courses/bankquestion/"
DESKTOP = {"width": 1280, "height": 900}
COMMENT = "โปรดสุ่มคำถามให้ครบ 5 ข้อตามแผนการสอน"


def shot(page, name: str) -> None:
    """A screenshot of the step into the folder JOURNEY_SCREENSHOTS names, for a person to look at
    the journey after a run (none without it)."""
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name}.png", full_page=True)


def spreadsheet_rows(tag: str) -> list[dict[str, object]]:
    """Twenty questions of every type the template takes, as a trainer types them (by column key)."""
    rows: list[dict[str, object]] = []
    for n in range(1, 5):
        rows.append(
            {
                "type": "single_choice",
                "prompt": f"ข้อ {n}: หน่วยงานใดรับแจ้งเหตุคนไทยตกทุกข์ในต่างประเทศเป็นอันดับแรก",
                "option1": "สถานเอกอัครราชทูตหรือสถานกงสุลใหญ่",
                "option2": "สายการบิน",
                "option3": "โรงแรมที่พัก",
                "correct": "1",
                "points": 1,
                "feedback": "ติดต่อสถานเอกอัครราชทูตหรือสถานกงสุลใหญ่ก่อน",
            }
        )
    for n in range(5, 9):
        rows.append(
            {
                "type": "multiple_choice",
                "prompt": f"ข้อ {n}: ข้อใดเป็นเอกสารที่ควรสำเนาเก็บไว้ก่อนเดินทาง",
                "option1": "หนังสือเดินทาง",
                "option2": "วีซ่า",
                "option3": "ใบเสร็จร้านกาแฟ",
                "correct": "1,2",
                "points": 2,
            }
        )
    for n in range(9, 14):
        rows.append(
            {
                "type": "true_false",
                "prompt": f"ข้อ {n}: อาสาสมัครต้องรักษาความลับของผู้ขอความช่วยเหลือ",
                "correct": "TRUE",
            }
        )
    for n in range(14, 18):
        rows.append(
            {
                "type": "short_answer",
                "prompt": f"ข้อ {n}: หมายเลขโทรศัพท์ฉุกเฉินของศูนย์ช่วยเหลือคือเบอร์ใด (ตัวเลข)",
                "option1": "1300",
                "option2": "๑๓๐๐",
            }
        )
    for n in range(18, 21):
        rows.append(
            {
                "type": "matching",
                "prompt": f"ข้อ {n}: จับคู่สถานการณ์กับหน่วยงานที่ควรส่งต่อ",
                "option1": "ถูกทำร้ายร่างกาย -> ตำรวจท้องถิ่น",
                "option2": "ต้องการเงินช่วยเหลือ -> สถานกงสุล",
                "option3": "ความเครียดรุนแรง -> นักจิตวิทยา",
                "points": 3,
            }
        )
    for row in rows:
        row["tags"] = tag  # the form's tag is given too; the sheet's own column agrees with it
    return rows


def filled_template(template: bytes, rows: list[dict[str, object]]) -> bytes:
    """The downloaded template with the rows typed into its own questions sheet, under its header
    (columns found by the English name each header carries, as a trainer reads them)."""
    book = load_workbook(BytesIO(template))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    names = {
        "type": "(Type)",
        "prompt": "(Question)",
        "correct": "(Correct)",
        "points": "(Points)",
        "feedback": "(Feedback)",
        "tags": "(Tags)",
        **{f"option{n}": f"(Option {n})" for n in range(1, 9)},
    }
    column = {
        key: next(i for i, text in enumerate(header, 1) if text.endswith(name)) for key, name in names.items()
    }
    for number, row in enumerate(rows, start=2):
        for key, value in row.items():
            sheet.cell(row=number, column=column[key], value=value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GIFT = """// สิบคำถามจากการอบรมเรื่องการส่งต่อ
::ส่งต่อ 1:: การส่งต่อกรณีต้องได้รับความยินยอมจากผู้ขอความช่วยเหลือก่อน {T}

::ส่งต่อ 2:: ข้อมูลส่วนตัวของผู้ขอความช่วยเหลือเผยแพร่ในกลุ่มไลน์ได้ {F}

::ส่งต่อ 3:: เมื่อพบผู้เสี่ยงฆ่าตัวตาย ควรทำสิ่งใดก่อน {
=อยู่กับเขาและติดต่อหน่วยฉุกเฉิน
~ปล่อยให้เขาอยู่คนเดียว
~โพสต์ขอความช่วยเหลือในสื่อสังคม
}

::ส่งต่อ 4:: ข้อใดเป็นสัญญาณของความรุนแรงในครอบครัว {
~%50%มีรอยฟกช้ำที่อธิบายไม่ได้
~%50%ถูกห้ามติดต่อญาติ
~%-100%ชอบทำอาหาร
}

::ส่งต่อ 5:: ศูนย์ช่วยเหลือคนไทยในต่างประเทศโทร {=1300 =๑๓๐๐}

::ส่งต่อ 6:: จับคู่คำกับความหมาย {
=ส่งต่อ -> refer
=ยินยอม -> consent
=ความลับ -> confidentiality
}

::ส่งต่อ 7:: อาสาสมัครควรบันทึกการช่วยเหลือทุกครั้ง {TRUE}

::ส่งต่อ 8:: ผู้ที่ควรตัดสินใจแทนผู้ถูกกระทำคือใคร {
~อาสาสมัคร
=ผู้ถูกกระทำเอง
~เพื่อนบ้าน
}

::ส่งต่อ 9:: คำภาษาอังกฤษของ "สถานทูต" คือ {=embassy}

::ส่งต่อ 10:: การปฐมพยาบาลทางใจเบื้องต้นมีสามขั้น: สอดส่อง ใส่ใจ และ {=ส่งต่อ ~ตัดสิน ~ลงโทษ}
"""

# The second question's braces never close: refused with the line it starts on (3), and the file's
# valid questions are not imported either.
MALFORMED_GIFT = """::ดี:: คำถามที่ถูกต้อง {T}

::เสีย:: คำถามที่ลืมปิดวงเล็บ {=ก ~ข

::ดีอีก:: อีกหนึ่งคำถามที่ถูกต้อง {F}
"""


def upload(page, *, kind: str, name: str, content: bytes, tag: str, mime: str) -> None:
    page.goto(IMPORT)
    page.get_by_label("รูปแบบ").select_option(kind)
    page.get_by_label("ไฟล์").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_label("แท็ก").fill(tag)
    page.locator("main form").get_by_role("button", name="นำเข้า", exact=True).click()
    page.wait_for_load_state()


def page_id(context, *, url: str, **query) -> int:
    """The id of the page at `url` on the site, from the admin's own page API."""
    answer = context.request.get("/admin/api/main/pages/", params={**query, "fields": "html_url"})
    assert answer.ok, answer.status
    [item] = [item for item in answer.json()["items"] if item["meta"]["html_url"].endswith(url)]
    return item["id"]


def test_a_trainer_imports_questions_builds_a_random_quiz_and_gets_it_approved(browser, site):
    run = uuid.uuid4().hex[:6]
    tag = f"การส่งต่อ-{run}"
    title = f"แบบทดสอบสุ่มจากคลังข้อสอบ {run}"
    trainer_context, trainer_watch = open_context(browser, site, viewport=DESKTOP)
    lead_context, lead_watch = open_context(browser, site, viewport=DESKTOP)
    trainer, lead = trainer_context.new_page(), lead_context.new_page()
    staff_sign_in(trainer, site, email=TRAINER)

    # The bank's listing leads to the import screen, which offers the template as a download.
    trainer.goto(BANK)
    trainer.get_by_role("link", name="นำเข้าคำถาม").click()
    trainer.wait_for_url(re.compile(rf".*{IMPORT}$"))
    with trainer.expect_download() as download:
        trainer.get_by_role("link", name="ดาวน์โหลดแบบฟอร์มสเปรดชีต").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    template = Path(download.value.path()).read_bytes()

    # Twenty questions typed into it come back as twenty imported rows.
    filled = filled_template(template, spreadsheet_rows(tag))
    upload(
        trainer,
        kind="xlsx",
        name="คำถามการส่งต่อ.xlsx",
        content=filled,
        tag=tag,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    shot(trainer, "01-xlsx-imported")
    expect(trainer.locator(".bank-import__summary")).to_contain_text("นำเข้า 20 ข้อ ปฏิเสธ 0 ข้อ")
    expect(trainer.locator("tr.bank-import__ok")).to_have_count(20)

    # A GIFT file of ten questions of mixed types, under the same tag.
    upload(trainer, kind="gift", name="questions.gift", content=GIFT.encode(), tag=tag, mime="text/plain")
    shot(trainer, "02-gift-imported")
    expect(trainer.locator(".bank-import__summary")).to_contain_text("นำเข้า 10 ข้อ ปฏิเสธ 0 ข้อ")
    expect(trainer.locator("tr.bank-import__ok")).to_have_count(10)

    # A malformed file: its broken question is named by line, and nothing of it is imported.
    upload(
        trainer, kind="gift", name="broken.txt", content=MALFORMED_GIFT.encode(), tag=tag, mime="text/plain"
    )
    shot(trainer, "03-gift-refused")
    expect(trainer.get_by_role("alert")).to_contain_text("มี 1 แถวที่ถูกปฏิเสธ จึงไม่ได้นำเข้าคำถามใดเลย")
    refused = trainer.locator("tr.bank-import__refused")
    expect(refused).to_have_count(1)
    expect(refused.locator("td").first).to_have_text("3")
    expect(refused).to_contain_text("คำถามที่ลืมปิดวงเล็บ")
    expect(refused).to_contain_text("วงเล็บปีกกา { } รอบคำตอบเปิดและปิดไม่ครบคู่")
    trainer.goto(f"{BANK}?tag={tag}")
    shot(trainer, "04-bank")
    expect(trainer.get_by_text("พบ 30 รายการ")).to_be_visible()  # the listing's count (it pages by 20)

    # The trainer adds a quiz to the follow-up course's module: one block drawing 4 of the tag.
    module = page_id(trainer_context, url=MODULE, slug=COURSE_SLUG, locale="th")
    trainer.goto(f"/admin/pages/add/courses/quizpage/{module}/")
    trainer.fill("#id_title", title)
    shot(trainer, "05a-empty-quiz")
    trainer.locator("button.c-sf-add-button").first.click()
    trainer.get_by_role("option", name="สุ่มคำถามจากคลังข้อสอบ").click()
    trainer.locator("select[name='questions-0-value-tag']").select_option(tag)
    trainer.fill("input[name='questions-0-value-count']", "4")
    shot(trainer, "05-new-quiz")
    choose_action(trainer, "button[name='action-submit']")
    trainer.wait_for_url(re.compile(r".*/admin/pages/\d+/(edit/)?$"))
    shot(trainer, "06-submitted")
    # The module's listing shows the new quiz in review, and leads to its editor.
    editor = trainer.get_by_role("link", name=title, exact=True).get_attribute("href")
    assert re.fullmatch(r"/admin/pages/\d+/edit/", editor), editor

    # The lead trainer, told by mail, asks for the planned five questions.
    mail_with(site, LEAD, f'หน้า "{title}" ส่งมาให้ตรวจทาน')
    staff_sign_in(lead, site, email=LEAD)
    lead.goto(editor)
    expect(lead.locator("input[name='questions-0-value-count']")).to_have_value("4")
    choose_action(lead, "button[data-workflow-action-name='reject']")
    lead.locator("textarea[name=comment]").fill(COMMENT)
    lead.locator(".modal form button[type=submit]").click()
    lead.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))

    # The trainer reads the comment in the mail, draws five and submits again.
    assert COMMENT in mail_with(site, TRAINER, COMMENT)
    trainer.goto(editor)
    trainer.fill("input[name='questions-0-value-count']", "5")
    choose_action(trainer, "button[name='action-submit']")
    trainer.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))

    # The lead trainer approves: the quiz is live in the course.
    lead.goto(editor)
    expect(lead.locator("input[name='questions-0-value-count']")).to_have_value("5")
    choose_action(lead, "button[data-workflow-action-name='approve']")
    lead.wait_for_url(re.compile(r".*/admin/pages/\d+/$"))
    mail_with(site, TRAINER, f'หน้า "{title}" ผ่านการอนุมัติ')
    shot(lead, "07-approved")

    # Live: a visitor opens the quiz in the course (the demo volunteer has not finished the
    # orientation course this one requires, so cannot enrol: the page as any visitor meets it).
    quiz_id = int(re.search(r"/admin/pages/(\d+)/edit/", editor).group(1))
    answer = lead_context.request.get(f"/admin/api/main/pages/{quiz_id}/")
    assert answer.ok, answer.status
    url = urlparse(answer.json()["meta"]["html_url"]).path  # the site's own host in the API
    assert url.startswith(MODULE), url
    visitor_context, visitor_watch = open_context(browser, site)
    visitor = visitor_context.new_page()
    response = visitor.goto(url)
    assert response.status == 200, response.status
    expect(visitor.locator("h1")).to_have_text(title)
    shot(visitor, "08-live-quiz")

    # Each attempt draws five questions of the tag: the lead trainer tries the live quiz as a
    # volunteer answers it.
    lead.goto(f"/admin/courses/quiz/{quiz_id}/try/")
    shot(lead, "09-trial")
    prompts = lead.locator("fieldset.quiz-question .quiz-question__prompt")
    expect(prompts).to_have_count(5)
    imported = {row["prompt"] for row in spreadsheet_rows(tag)} | set(
        re.findall(r"::ส่งต่อ \d+:: ([^{]+)", GIFT)
    )
    for prompt in prompts.all_inner_texts():
        assert any(prompt.startswith(text.strip()) for text in imported), prompt

    for context, watch in (
        (trainer_context, trainer_watch),
        (lead_context, lead_watch),
        (visitor_context, visitor_watch),
    ):
        context.close()
        assert watch.problems == [], "\n".join(watch.problems)
