"""Steps of the served-site journeys: what a volunteer, staff member or stranger does in the browser,
over the seeded demo content."""

from __future__ import annotations

import re
import subprocess
import time
from base64 import b32decode
from pathlib import Path

from django_otp.oath import hotp
from playwright.sync_api import Page, expect

from courses.demo.courses import demo_questions
from volunteers.demo import DEMO_PASSWORD

# The journeys know the demo quizzes' answers from the demo's course packages, as a volunteer who
# read the lessons would; the pages never show them before an attempt is submitted. A question has
# the same id in Thai and English.
DEMO_QUESTIONS: dict[str, list[dict]] = demo_questions()


def confirm_link(site, address: str) -> str:
    message = site.mail_to(address)
    return re.search(r"https://\S+/accounts/confirm/\S+", site.mail_body(message)).group(0)


def sign_up(page: Page, *, email: str, password: str) -> None:
    """Fill in and send the sign-up form on the page, giving consent to the privacy notice."""
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def confirm_email(page: Page, site, *, email: str) -> None:
    page.goto(confirm_link(site, email))
    page.get_by_role("button", name=re.compile("ยืนยันอีเมล|Confirm my email")).click()
    page.wait_for_load_state()
    expect(page.locator(".banner")).to_have_count(0)


def answer_correctly(page: Page) -> None:
    """Answer every question of the attempt on the page from the demo quiz's definitions."""
    for fieldset in page.locator("fieldset.quiz-question").all():
        name = fieldset.locator("[name^='answer-']").first.get_attribute("name")
        # A matching question's fields are named answer-<question id>-<item id>.
        qid = max((key for key in DEMO_QUESTIONS if f"{name}-".startswith(f"answer-{key}-")), key=len)
        prompt = " ".join(fieldset.locator(".quiz-question__prompt").inner_text().split())
        question = next(q for q in DEMO_QUESTIONS[qid] if " ".join(q["value"]["prompt"].split()) == prompt)
        value = question["value"]
        field = f"answer-{qid}"
        if question["type"] in ("single_choice", "multiple_choice"):
            # By its label, as a person picks it: the form's values are opaque.
            for choice in value["choices"]:
                if choice["value"]["correct"]:
                    fieldset.get_by_label(choice["value"]["text"], exact=True).check()
        elif question["type"] == "true_false":
            fieldset.locator(f"input[name='{field}'][value='{value['answer']}']").check()
        elif question["type"] == "short_answer":
            fieldset.locator(f"input[name='{field}']").fill(value["accepted"][0]["value"])
        elif question["type"] == "matching":
            for pair in value["pairs"]:
                fieldset.locator(f"select[name='{field}-{pair['id']}']").select_option(
                    label=pair["value"]["match"]
                )
        else:
            raise AssertionError(f"no way to answer a {question['type']} question")


def take_quiz(page: Page) -> None:
    """Start the quiz on the page, answer every question right and submit; the result shows a pass."""
    page.locator(".quiz-start form button[type=submit]").click()
    page.wait_for_load_state()
    answer_correctly(page)
    page.locator("button[name=action][value=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#quiz-result")).to_be_visible()
    expect(page.locator(".quiz-result__score")).to_contain_text("100")


def find_course_from_home(page, home: str, title_part: str) -> str:
    """From the home page, through the header's catalog link, to a course page; returns its URL."""
    page.goto(home)
    page.locator("header a[href$='/courses/']").first.click()
    page.wait_for_load_state()
    page.locator("main a", has_text=title_part).first.click()
    page.wait_for_load_state()
    return page.url


def complete_course(page: Page, course_url: str, *, limit: int = 80) -> dict[str, int]:
    """Follow the course's "Start"/"Continue" until it is complete: mark each lesson done and pass
    each quiz. Returns how many lessons, sensitive lessons and quizzes were done."""
    done = {"lessons": 0, "sensitive": 0, "quizzes": 0}
    for _ in range(limit):
        page.goto(course_url)
        action = page.locator(".course-action a.button")
        if page.locator(".course-action__completed").count():
            return done
        action.click()
        page.wait_for_load_state()
        if page.locator(".quiz-start").count():
            take_quiz(page)
            done["quizzes"] += 1
        else:
            if page.locator("a.quick-exit").count():
                done["sensitive"] += 1
            # "Mark as done and continue" leads on; a refused mark would bring the same lesson back.
            with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
                page.locator(".lesson__complete button[type=submit]").click()
            assert posted.value.status in (302, 303), posted.value.status
            page.wait_for_load_state()
            done["lessons"] += 1
    raise AssertionError(f"the course did not complete after {limit} steps: {done}")


def decode_qr(pdf: bytes, folder: Path) -> str:
    path = folder / "certificate.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(folder / "page")], check=True)
    png = next(folder.glob("page*.png"))
    result = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


# django-otp accepts an authenticator's code once, for the server's 30 s step or the one before or
# after it (OTP_TOTP_TOLERANCE), and learns from the code it accepts how far the phone's clock is off
# (OTP_TOTP_SYNC), looking around that next time. The journeys' phone keeps the step of its last code
# and the offset the server learnt from it, so whoever signs in again within the same 30 s types the
# next step's code, which the server accepts, instead of waiting for the clock to move on as a person
# would (those waits cost the served journeys 100 s of a pass).
STEP_SECONDS = 30
# A code typed in a step's last seconds could reach the server in the next step, which would learn a
# different offset from the one the phone keeps: the phone waits for the next step instead.
LATE_SECONDS = 5


def authenticator_code(secret: str, kept: Path) -> str:
    """The code to type now, from an authenticator holding `secret` (the key typed in by hand) whose
    last code and the server's offset for it are in `kept`: the code of the step nearest the clock's
    that the server accepts and has not accepted yet."""
    while (now := time.time()) % STEP_SECONDS > STEP_SECONDS - LATE_SECONDS:
        time.sleep(STEP_SECONDS - now % STEP_SECONDS + 0.05)
    server_step = int(now // STEP_SECONDS)
    last, offset = (int(value) for value in kept.read_text().split()) if kept.exists() else (-1, 0)
    # The server looks at its step + offset, give or take one, past the last step it accepted.
    step = max(last + 1, server_step + offset - 1, min(server_step, server_step + offset + 1))
    kept.write_text(f"{step} {step - server_step}")
    compact = secret.replace(" ", "")
    return f"{hotp(b32decode(compact + '=' * (-len(compact) % 8)), step):06d}"


def mailed_code(site, email: str, *, before: int, seconds: float = 60) -> str:
    """The six-digit code in the first mail holding one to `email` after the `before` mails already
    there (other mails, such as notices, may arrive in between)."""
    deadline = time.monotonic() + seconds
    while True:
        found = [mail for mail in site.mails() if email in mail["To"]]
        for mail in found[before:]:
            code = re.search(r"^\s*(\d{6})\s*$", site.mail_body(mail), re.MULTILINE)
            if code:
                return code.group(1)
        if time.monotonic() > deadline:
            worker_log = site.folder / "worker.log"
            raise AssertionError(f"no new mail with a code to {email} after {seconds} s; see {worker_log}")
        time.sleep(0.3)


def second_step(page: Page, site, *, email: str, area: str, landing: str) -> None:
    """Past the password, the second step as production asks it, on the two-step pages under `area`
    ("/admin" for staff, "/accounts" for leaders on the site): the code of an authenticator app,
    which the test computes from the key the set-up page shows (kept in the site's folder for the
    next sign-in, as a phone keeps it). Setting up the app first takes a code mailed to the account,
    and shows recovery codes once. Ends on the page whose address matches `landing`."""
    page.wait_for_url(re.compile(rf".*{area}/two-step/(setup|verify)/.*"))
    kept = site.folder / f"authenticator-{email}"
    setting_up = "/setup/" in page.url
    if setting_up:
        before = len([mail for mail in site.mails() if email in mail["To"]])
        page.locator("main form:has(input[name=action]) button").click()
        page.locator("input[name=code]").wait_for()
        page.fill("input[name=code]", mailed_code(site, email, before=before))
        page.locator("main form button[type=submit]").first.click()
        kept.write_text(page.locator("#two-factor-secret").inner_text().strip())
    last_code = site.folder / f"authenticator-{email}.last"
    if setting_up:
        last_code.unlink(missing_ok=True)  # a new key
    page.fill("input[name=code]", authenticator_code(kept.read_text(), last_code))
    page.locator("main form button[type=submit]").first.click()
    if setting_up:
        page.wait_for_url(re.compile(rf".*{area}/two-step/recovery-codes/$"))
        expect(page.locator("#two-factor-recovery-codes code")).to_have_count(10)
        page.locator("main a.button").click()
    page.wait_for_url(re.compile(landing))


def staff_sign_in(page: Page, site, *, email: str = "staff@example.org") -> None:
    """Sign in to the admin as production asks: the password, then the second step."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    second_step(page, site, email=email, area="/admin", landing=r".*/admin/$")


def leader_sign_in(
    page: Page,
    site,
    *,
    email: str,
    next_path: str = "/organisation/",
    landing: str = r".*/organisation/\d+/$",
) -> None:
    """Sign in on the site as an organisation's leader: the password, then (production requires it)
    the second step on the site's own two-step pages; ends on `landing` (by default the leader's one
    organisation, where /organisation/ leads)."""
    page.goto(f"/accounts/login/?next={next_path}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    second_step(page, site, email=email, area="/accounts", landing=landing)


def choose_action(page, selector: str) -> None:
    """Click an action of the editor's footer, opening its menu of more actions when it is there."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    button.click()


def text_of(mail) -> str:
    """A mail's plain text. (Parsed from text, an 8-bit part's `get_payload(decode=True)` escapes
    its Thai as \\uXXXX; the text itself is what the person reads.)"""
    part = next(part for part in mail.walk() if part.get_content_type() == "text/plain")
    if part.get("Content-Transfer-Encoding", "").lower() in ("", "7bit", "8bit"):
        return part.get_payload()
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def mail_with(site, address: str, text: str, *, seconds: float = 90) -> str:
    """The text of a mail to `address` holding `text`, waiting for the worker to deliver it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for mail in site.mails():
            if address in mail["To"] and text in text_of(mail):
                return text_of(mail)
        time.sleep(0.5)
    found = [text_of(mail) for mail in site.mails() if address in mail["To"]]
    raise AssertionError(f"no mail to {address} with {text!r} after {seconds} s; the last: {found[-2:]}")
