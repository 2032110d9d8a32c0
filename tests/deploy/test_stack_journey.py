"""Through the deployed stack, over HTTPS (Caddy with its internal authority in front of gunicorn,
PostgreSQL, Redis, the S3 store, the task worker): a volunteer on a phone, reading Thai, finds the
course from the home page, completes it, gets her certificate PDF (rendered by the worker, kept in
the private bucket) and a stranger verifies it from the PDF's QR code. Lesson media come from the
media bucket at the site's own /media/. What it saw is written to DEPLOY_STATE for the checks after
the stack restarts (scripts/test-deploy.sh)."""

import json
import os
import re
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import PHONE
from tests.deploy.stack_content import EMAIL, PASSWORD
from tests.journeys.conftest import watch
from tests.journeys.steps import complete_course, decode_qr, find_course_from_home


def new_phone(browser, url: str):
    context = browser.new_context(
        base_url=url,
        ignore_https_errors=True,  # Caddy's internal authority; everything else as in production
        viewport=PHONE,
        locale="th-TH",
    )
    return context, watch(context)


def fetched(page, url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a request the page makes (the browser resolves the stack's
    name; Playwright's own request client would not)."""
    status, kind, body = page.evaluate(
        """async url => {
            const answer = await fetch(url, {redirect: "manual"});
            const bytes = new Uint8Array(await answer.arrayBuffer());
            return [answer.status, answer.headers.get("content-type") || "", Array.from(bytes)];
        }""",
        url,
    )
    return status, kind, bytes(body)


def pdf_link(page, seconds: float = 90) -> str:
    """The certificate's PDF link on "my certificates", once the worker has rendered it."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto("/learn/certificates/")
        link = page.locator("main a[href$='.pdf']")
        if link.count():
            return link.first.get_attribute("href")
        assert time.monotonic() < deadline, f"no certificate PDF after {seconds} s"
        time.sleep(1)


def test_a_volunteer_completes_a_course_and_a_stranger_verifies_her_certificate(
    browser, deploy_url, tmp_path
):
    context, watched = new_phone(browser, deploy_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "the sign-in was refused"

    course_url = find_course_from_home(page, "/", "วิธีใช้งาน")
    cover = page.locator("main img").first.get_attribute("src")
    assert cover.startswith(f"{deploy_url}/media/"), cover  # the media bucket, at the site's origin
    status, kind, _ = fetched(page, cover)
    assert status == 200 and kind.startswith("image/"), (status, kind)

    page.locator(".course-action form button[type=submit]").click()  # enrol
    page.wait_for_load_state()
    done = complete_course(page, course_url)
    assert done["lessons"] >= 2, done  # the course's lessons (it has no quiz)
    page.goto(course_url)
    expect(page.locator(".course-action__completed")).to_be_visible()

    pdf_href = pdf_link(page)
    status, _, pdf = fetched(page, pdf_href)
    assert status == 200 and pdf.startswith(b"%PDF"), status
    verify_url = decode_qr(pdf, tmp_path)
    assert verify_url.startswith(f"{deploy_url}/verify/"), verify_url

    stranger, stranger_watched = new_phone(browser, deploy_url)
    anonymous = stranger.new_page()
    anonymous.goto(verify_url)
    expect(anonymous.locator(".verify")).to_have_class(re.compile(r"verify--valid"))
    expect(anonymous.locator("main")).to_contain_text("ทดสอบ")
    assert fetched(anonymous, pdf_href)[0] in (0, 302, 403, 404)  # not public (0: a redirect)
    stranger.close()
    context.close()
    problems = watched.problems + stranger_watched.problems
    assert problems == [], "\n".join(problems)

    Path(os.environ["DEPLOY_STATE"]).write_text(json.dumps({"verify_url": verify_url, "media_url": cover}))
