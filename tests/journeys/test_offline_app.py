"""Issue 24, the installable app, against the site as production serves it (its real
Content-Security-Policy, HTTPS, hashed static files), over the seeded demo, in a persistent browser
profile as a phone keeps one: the site installs with no installability error, its service worker
takes the page, and with the network gone a page the phone never saved shows the translated offline
page in its language, in the site's layout, instead of the browser's error. What the worker keeps
is the app shell and the offline pages only: nothing a signed-in volunteer read."""

import contextlib
import json
import os
import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import PHONE
from tests.journeys.conftest import watch
from tests.journeys.steps import answer_correctly, confirm_email, sign_up
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

VOLUNTEER = "volunteer@example.org"
BRAND = "rgb(11, 83, 148)"  # the header's colour: the stylesheet came from the worker's cache


@pytest.fixture
def phone_profile(playwright, browser_type_launch_args, site, tmp_path):
    """A phone's browser with a profile on disk (installability is judged for one), reading Thai."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        **browser_type_launch_args,  # with --ignore-certificate-errors (tests/conftest.py)
        base_url=site.url,
        ignore_https_errors=True,
        viewport=PHONE,
        locale="th-TH",
    )
    watched = watch(context)
    yield context, watched
    context.close()
    assert watched.problems == [], "\n".join(watched.problems)


def cached_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
            }
            return urls.sort();
        }"""
    )


OFFLINE_FAILURES = ("net::ERR_INTERNET_DISCONNECTED", "net::ERR_FAILED")


@contextlib.contextmanager
def without_network(context, watched):
    """The phone offline. The browser logs each request the worker tried on the network and each
    file the phone never saved (a video not chosen) as a failed resource: expected here, so only
    those lines are forgiven; anything else broken still counts."""
    start = len(watched.problems)
    context.set_offline(True)
    try:
        yield
    finally:
        context.set_offline(False)
        watched.problems[start:] = [
            problem
            for problem in watched.problems[start:]
            if not (
                problem.startswith("console: Failed to load resource:")
                and problem.split(" (failed requests:")[0].endswith(OFFLINE_FAILURES)
            )
        ]


def test_the_site_installs_as_an_app_and_shows_its_offline_page_without_a_network(phone_profile):
    context, watched = phone_profile
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/")
    # (Evaluated over the DevTools protocol: `wait_for_function` would be refused by the site's CSP.)
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }))"""
    )

    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")

    # A volunteer signs in and reads: none of it is kept by the worker.
    page.goto("/accounts/login/?next=/learn/")
    page.fill("input[name=username]", VOLUNTEER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r".*/learn/$"))
    page.goto("/courses/orientation/")
    page.goto("/en/learn/")
    # The dashboard's own requests (the icons, the enrolled courses' offline lists) finish first:
    # one cut off by the lost network would be logged as a failure of the site.
    page.wait_for_load_state("networkidle")
    kept = cached_urls(page)
    assert "/offline/" in kept and "/en/offline/" in kept
    assert [url for url in kept if not url.startswith(("/static/", "/offline/", "/en/offline/"))] == []

    with without_network(context, watched):
        page.goto("/courses/orientation/module-1-role-and-ethics/")
        expect(page.locator("h1")).to_have_text("ขณะนี้ไม่ได้เชื่อมต่ออินเทอร์เน็ต")
        assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") == BRAND
        assert page.evaluate("document.documentElement.lang") == "th"
        if os.environ.get("JOURNEYS_SCREENSHOTS"):
            page.screenshot(path=os.environ["JOURNEYS_SCREENSHOTS"] + "/offline-th.png")
        page.goto("/en/courses/")
        expect(page.locator("h1")).to_have_text("You are offline")
        assert page.evaluate("document.documentElement.lang") == "en"
    page.goto("/en/courses/")
    expect(page.locator("h1")).not_to_have_text("You are offline")


COURSE = "/courses/orientation/"
IMAGE_LESSON = COURSE + "role-and-ethics/who-we-are/"
SECOND_LESSON = COURSE + "role-and-ethics/ethics-and-confidentiality/"
SENSITIVE_LESSON = COURSE + "domestic-violence/recognising-abuse/"
QUIZ = COURSE + "role-and-ethics/quiz/"

READ_QUEUE = """() => new Promise((resolve, reject) => {
    const opened = indexedDB.open("offline-app");
    opened.onerror = () => reject(opened.error);
    opened.onsuccess = () => {
        const request = opened.result.transaction("queue").objectStore("queue").getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    };
})"""

# The same actions sent again, as a phone that lost the server's answer would.
RESEND = """async (actions) => {
    const token = await (await fetch("/learn/sync/", { credentials: "same-origin" })).json();
    const body = { account: token.account, actions: actions.map(({ id, type, lesson, attempt, fields, at }) =>
        ({ id, type, lesson, attempt, fields, at })) };
    const answer = await fetch("/learn/sync/", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.csrf },
        body: JSON.stringify(body) });
    return { status: answer.status, body: await answer.json() };
}"""


def worker_in_charge(page) -> None:
    # (Evaluated over the DevTools protocol: `wait_for_function` would be refused by the site's CSP.)
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }))"""
    )


def held_by_server(site, email: str) -> dict:
    """The volunteer's progress marks, attempts and graded attempts, as the server's database has them."""
    code = f"""
import json
from django.contrib.auth import get_user_model
from courses.learning.models import LessonProgress
from courses.quizzes.models import QuizAttempt
user = get_user_model().objects.get(email={email!r})
attempts = QuizAttempt.objects.filter(volunteer=user)
print(json.dumps({{
    "progress": sorted(LessonProgress.objects.filter(volunteer=user).values_list("lesson__slug", flat=True)),
    "attempts": attempts.count(),
    "graded": attempts.filter(state=QuizAttempt.State.FINISHED).count(),
}}))
"""
    return json.loads(site.shell(code).strip().splitlines()[-1])


def performed_by_server(site, email: str) -> list[str]:
    """The kinds of the volunteer's synced actions, in the order the server performed them."""
    code = f"""
import json
from courses.learning.models import SyncedAction
actions = SyncedAction.objects.filter(volunteer__email={email!r}).order_by("pk")
print(json.dumps(list(actions.values_list("kind", flat=True))))
"""
    return json.loads(site.shell(code).strip().splitlines()[-1])


def republish_summary(site, slug: str, text: str) -> None:
    """A trainer, elsewhere, publishes a new version of a lesson."""
    site.shell(
        f"""
from courses.authoring.models import LessonPage
lesson = LessonPage.objects.get(slug={slug!r}, locale__language_code="th")
lesson.summary = {text!r}
lesson.save_revision().publish()
"""
    )


def image_shown(page) -> bool:
    image = page.locator(".lesson__body figure img").first
    image.scroll_into_view_if_needed()
    for _ in range(50):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            return True
        time.sleep(0.1)
    return False


def test_a_volunteer_saves_the_orientation_works_offline_and_the_server_counts_it_once(phone_profile, site):
    """Issue 24's "done when": save the demo orientation, read three lessons offline (one with an
    image, one sensitive), mark two done, answer a quiz started online, come back online: the
    server then holds exactly those two marks and one graded attempt, and the same sync again
    changes nothing. A lesson republished meanwhile shows its new version once online."""
    context, watched = phone_profile
    page = context.pages[0] if context.pages else context.new_page()
    page.goto("/accounts/signup/")
    email = f"offline.{uuid.uuid4().hex[:8]}@example.org"
    sign_up(page, email=email, password="offline-reader-2026")
    confirm_email(page, site, email=email)
    page.goto(COURSE)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()
    worker_in_charge(page)

    # The course page offers to save the course, with its size, sensitive lessons only when chosen.
    page.goto(COURSE)
    panel = page.locator("[data-offline-save]")
    save = panel.locator("[data-offline-save-button]")
    expect(save).to_be_visible()
    expect(save).to_contain_text(re.compile(r"\(\d+(\.\d)?\s?(MB|kB|เมกะไบต์|กิโลไบต์)\)"))
    without_sensitive = save.inner_text()
    panel.locator("[data-offline-sensitive]").check()
    expect(save).not_to_have_text(without_sensitive)
    save.click()
    expect(panel.locator("[data-offline-state]")).to_contain_text("บันทึกไว้ในโทรศัพท์เครื่องนี้")
    expect(panel.locator("[data-offline-remove]")).to_be_visible()
    page.reload()
    expect(page.locator(f".outline a[href='{IMAGE_LESSON}'] ~ .state--saved")).to_be_visible()
    expect(panel.locator("[data-offline-sensitive]")).to_be_checked()  # the choice made, remembered
    if os.environ.get("JOURNEYS_SCREENSHOTS"):
        page.screenshot(path=os.environ["JOURNEYS_SCREENSHOTS"] + "/offline-saved-course.png", full_page=True)

    # A quiz without a time limit, started online.
    page.goto(QUIZ)
    page.locator(".quiz-start form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("#quiz-form input[name=offline]")).to_have_count(1)
    before = held_by_server(site, email)
    assert before == {"progress": [], "attempts": 1, "graded": 0}, before

    with without_network(context, watched):
        page.goto(IMAGE_LESSON)
        expect(page.locator(".lesson__body")).to_be_visible()
        assert image_shown(page), "the lesson's image did not come from the phone"
        page.locator(".lesson__complete button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(re.escape(SECOND_LESSON) + "$"))
        page.locator(".lesson__complete button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(SENSITIVE_LESSON)
        expect(page.locator("a.quick-exit")).to_be_visible()
        expect(page.locator(".content-note")).to_be_visible()
        page.goto(IMAGE_LESSON)
        expect(page.locator(".lesson__done--queued")).to_be_visible()

        page.goto(QUIZ)
        answer_correctly(page)
        page.locator("button[name=action][value=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("#quiz-queued")).to_be_visible()
        expect(page.locator("#quiz-form")).to_be_hidden()

        page.goto(COURSE)
        # The two lessons and the quiz.
        expect(page.locator(".outline .state--will-sync")).to_have_count(3)
        expect(page.locator("#app-pending")).to_contain_text("3")
        if os.environ.get("JOURNEYS_SCREENSHOTS"):
            shot = os.environ["JOURNEYS_SCREENSHOTS"] + "/offline-will-sync.png"
            page.screenshot(path=shot, full_page=True)
        queued = page.evaluate(READ_QUEUE)
        assert sorted(action["type"] for action in queued) == ["lesson_done", "lesson_done", "quiz_submit"]
        assert held_by_server(site, email) == before  # nothing reached the server offline

        republished = f"ฉบับปรับปรุง {uuid.uuid4().hex[:6]}"
        republish_summary(site, "who-we-are", republished)

    # Back online: the next page sends what waited, once, in the order the volunteer acted (the
    # phone keeps its queue by random ids: read as stored, a quiz was once sent before its lessons).
    page.goto(COURSE)
    expected = {"progress": ["ethics-and-confidentiality", "who-we-are"], "attempts": 1, "graded": 1}
    deadline = time.monotonic() + 30
    while (held := held_by_server(site, email)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    assert held == expected, held
    assert performed_by_server(site, email) == ["lesson_done", "lesson_done", "quiz_submit"]
    expect(page.locator(".outline .state--will-sync")).to_have_count(0)
    assert page.evaluate(READ_QUEUE) == []

    again = page.evaluate(RESEND, queued)
    assert again["status"] == 200, again
    assert [result["status"] for result in again["body"]["results"]] == ["duplicate"] * 3, again
    assert held_by_server(site, email) == held

    # The lesson republished while the phone was offline shows its new version, and the saved
    # copy follows it.
    page.goto(IMAGE_LESSON)
    expect(page.locator(".lesson__summary")).to_have_text(republished)
    with without_network(context, watched):
        page.goto(IMAGE_LESSON)
        expect(page.locator(".lesson__summary")).to_have_text(republished)

    # Signing out with nothing waiting asks nothing, and leaves nothing of the account on the phone.
    page.goto("/learn/")
    page.locator("form[data-sign-out] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form[data-sign-out]")).to_have_count(0)
    assert [url for url in cached_urls(page) if "/courses/" in url] == []


def signed_up_and_enrolled(page, site, email: str) -> None:
    page.goto("/accounts/signup/")
    sign_up(page, email=email, password="shared-phone-2026")
    confirm_email(page, site, email=email)
    page.goto(COURSE)
    page.locator(".course-action form button[type=submit]").click()
    page.wait_for_load_state()


def test_two_people_share_a_phone_each_sees_only_their_own_and_signing_out_asks_before_deleting(
    phone_profile, site
):
    """Issue 24, item 6: one phone, two accounts. What the first left waiting when her session ended
    is neither shown to the second nor sent as his; his signing out says it would delete it and asks;
    when she signs in again it is sent as hers."""
    context, watched = phone_profile
    page = context.pages[0] if context.pages else context.new_page()
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    first, second = (f"shared.{uuid.uuid4().hex[:8]}@example.org" for _ in range(2))

    # She saves the course and marks a lesson done offline; then her session ends without her
    # signing out.
    signed_up_and_enrolled(page, site, first)
    worker_in_charge(page)
    page.goto(COURSE)
    panel = page.locator("[data-offline-save]")
    panel.locator("[data-offline-save-button]").click()
    expect(panel.locator("[data-offline-state]")).to_contain_text("บันทึกไว้ในโทรศัพท์เครื่องนี้")
    page.goto(IMAGE_LESSON)
    with without_network(context, watched):
        page.locator(".lesson__complete button[type=submit]").click()
        page.wait_for_load_state()
        # Offline, signing out cannot happen: the page says so and keeps her signed in.
        page.goto(IMAGE_LESSON)
        expect(page.locator(".lesson__done--queued")).to_be_visible()
        page.locator("form[data-sign-out] button[type=submit]").click()
        expect(page.locator("#app-needs-network")).to_be_visible()
        assert asked == []
        [waiting] = page.evaluate(READ_QUEUE)
        # Her session ends before the network returns (online, the phone sends what waits at once).
        context.clear_cookies()

    # He signs up on the same phone: her waiting mark is not his, not shown, not sent.
    signed_up_and_enrolled(page, site, second)
    page.goto(COURSE)
    expect(panel.locator("[data-offline-save-button]")).to_be_visible()  # the app has read the phone
    expect(panel.locator("[data-offline-remove]")).to_be_hidden()
    expect(page.locator("#app-pending")).to_be_hidden()
    expect(page.locator(".outline .state--will-sync")).to_have_count(0)
    expect(page.locator(".outline .state--saved")).to_have_count(0)  # what she saved is hers
    assert held_by_server(site, second)["progress"] == []
    assert held_by_server(site, first)["progress"] == []
    assert [action["id"] for action in page.evaluate(READ_QUEUE)] == [waiting["id"]]

    # Signing out would clear the whole phone, her mark with it: it asks, and "cancel" keeps both.
    with page.expect_event("dialog"):
        page.locator("form[data-sign-out] button[type=submit]").click()
    assert len(asked) == 1 and "บัญชีอื่น" in asked[0] and "1" in asked[0], asked
    expect(page.locator("form[data-sign-out]")).to_be_visible()
    assert [action["id"] for action in page.evaluate(READ_QUEUE)] == [waiting["id"]]
    context.clear_cookies()

    # She signs in again: what waited is sent as hers, once.
    page.goto("/accounts/login/?next=/learn/")
    page.fill("input[name=username]", first)
    page.fill("input[name=password]", "shared-phone-2026")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r".*/learn/$"))
    deadline = time.monotonic() + 30
    while not held_by_server(site, first)["progress"] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert held_by_server(site, first)["progress"] == ["who-we-are"]
    assert held_by_server(site, second)["progress"] == []
    page.goto(COURSE)
    expect(page.locator(f".outline a[href='{IMAGE_LESSON}'] ~ .state--saved")).to_be_visible()
    expect(page.locator("#app-pending")).to_be_hidden()
    assert page.evaluate(READ_QUEUE) == []

    # With nothing waiting, signing out asks nothing.
    page.locator("form[data-sign-out] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("form[data-sign-out]")).to_have_count(0)
    assert len(asked) == 1
