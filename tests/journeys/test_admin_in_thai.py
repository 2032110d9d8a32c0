"""Issue 23: the admin in Thai. A trainer, a lead trainer and a staff member each sign in to the site
as production serves it (over the seeded demo, reading Thai) and open every screen they can reach
from the dashboard by following links, one of each kind; on the page editor they also open the
menus, panels and choosers a trainer uses. Any Latin-script word a screen shows that is not a name
or code from the site's data, nor on the short allow-list (tests/journeys/latin_allowed.py), fails
the test, with the screen it was on. How text and data are told apart: tests/journeys/thai_admin.py.
"""

from __future__ import annotations

import collections

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.journeys.conftest import open_context
from tests.journeys.latin_allowed import ALLOWED
from tests.journeys.steps import staff_sign_in
from tests.journeys.thai_admin import NOT_SCREENS, DataText, kind_of_screen, screen_texts, untranslated

pytestmark = [pytest.mark.browser, pytest.mark.embedded_only]

DESKTOP = {"width": 1280, "height": 900}
MOST_SCREENS = 250


@pytest.fixture(scope="module")
def data(site):
    return DataText(site.data_values())


class Requests:
    """The requests a page has started and not finished yet."""

    QUIET_MS = 150  # how long after the page has loaded (and after each wait that found one open)

    def __init__(self, page):
        self.page = page
        self.open: set = set()
        page.on("request", lambda request: self.open.add(request))
        page.on("requestfinished", lambda request: self.open.discard(request))
        page.on("requestfailed", lambda request: self.open.discard(request))

    def goto(self, url: str):
        """Open `url` and wait until it has loaded and fetched what its scripts ask for (no request
        open after QUIET_MS). Playwright's "networkidle" waits for 500 ms of quiet on every screen: a
        third of the crawl, when only the favicon is ever fetched after the load event."""
        self.open.clear()
        response = self.page.goto(url, wait_until="load")
        for _ in range(30_000 // self.QUIET_MS):
            self.page.wait_for_timeout(self.QUIET_MS)  # Playwright delivers the page's events meanwhile
            if not self.open:
                return response
        raise AssertionError(f"{url} still fetches after 30 s: {[request.url for request in self.open]}")


def crawl(page, site, data: DataText, opened: set[str]) -> dict[str, list[str]]:
    """Every kind of admin screen reachable by links from the dashboard and not in `opened` yet
    (which it adds to), with the Latin-script phrases each shows that are not allowed."""
    base = site.url
    queue = collections.deque([base + "/admin/"])
    found: dict[str, list[str]] = {}
    first = True
    requests = Requests(page)
    while queue and len(opened) < MOST_SCREENS:
        url = queue.popleft()
        kind = kind_of_screen(url)
        if kind in opened and not first:
            continue
        opened.add(kind)
        first = False  # the dashboard is opened by everyone: it leads to their own screens
        try:
            response = requests.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (a template, an export), not a screen
            raise
        assert response is not None and response.status < 400, (
            f"{url} answered {response and response.status}"
        )
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if phrases := untranslated(screen_texts(page), data):
            found[url.removeprefix(base)] = sorted(set(phrases))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            href = href.split("#")[0]
            if not href.startswith(base + "/admin/") or NOT_SCREENS.search(href):
                continue
            if "/admin/bulk/" in href and "id=" not in href:
                continue  # the address a bulk action's script completes with the chosen rows
            if kind_of_screen(href) not in opened:
                queue.append(href)
    return found


def lesson_editor(page, course_slug: str) -> str:
    """The edit screen of the first lesson of a course (ids from the admin's own page API)."""
    [course] = page.request.get(f"/admin/api/main/pages/?slug={course_slug}&locale=th").json()["items"]
    pages = page.request.get(f"/admin/api/main/pages/?descendant_of={course['id']}&limit=20").json()["items"]
    lesson = next(item for item in pages if item["meta"]["type"] == "courses.LessonPage")
    return f"/admin/pages/{lesson['id']}/edit/"


def translation_editor(page, editor: str) -> str:
    """The edit screen of a page's English translation: wagtail-localize's translation editor."""
    page_id = editor.split("/")[3]
    [english] = page.request.get(f"/admin/api/main/pages/?translation_of={page_id}&locale=en").json()["items"]
    return f"/admin/pages/{english['id']}/edit/"


def open_menus_and_choosers(page, data: DataText) -> dict[str, list[str]]:
    """On a lesson's editor, what a trainer opens: the sidebar's menus and page explorer, the
    header's and the footer's action menus, each side panel, the block chooser of the body and of
    the rich-text editor, its toolbar, the image, document and link choosers, and a comment. (The
    editor saves a draft of the lesson as it goes, as it does for a trainer; nothing is published.)"""
    found: dict[str, list[str]] = {}

    def look(what: str) -> None:
        page.wait_for_timeout(300)  # a menu's or panel's opening transition
        if phrases := untranslated(screen_texts(page), data):
            found[what] = sorted(set(phrases))

    def look_in_modal(what: str) -> None:
        page.locator(".modal-content .modal-body > *").first.wait_for()  # the chooser, fetched
        look(what)
        page.locator(".modal-content button.close").click()
        page.locator(".modal-content").wait_for(state="detached")

    # Each menu is looked at once it has what it opens for (the page explorer fetches its pages,
    # and traps the focus in them), and closed before the next opens.
    page.locator(".sidebar-menu-item__link", has_text="หน้า").first.click()
    page.locator(".c-page-explorer__item").first.wait_for()
    look("the sidebar's page explorer")
    page.keyboard.press("Escape")
    page.locator(".c-page-explorer__item").first.wait_for(state="hidden")
    for menu in ("รายงาน", "การตั้งค่า", "ความช่วยเหลือ"):
        page.locator(".sidebar-menu-item__link", has_text=menu).first.click()
        page.locator(".sidebar-sub-menu-panel:visible").first.wait_for()
        look(f"sidebar menu {menu}")
        page.keyboard.press("Escape")
        page.locator(".sidebar-sub-menu-panel:visible").first.wait_for(state="hidden")
    for where, toggle in (
        ("header", "header .w-dropdown__toggle--icon"),
        ("footer", "footer .w-dropdown__toggle"),
    ):
        page.locator(toggle).first.click()
        page.locator(".tippy-box:visible").first.wait_for()
        look(f"the {where}'s actions")
        page.keyboard.press("Escape")
        page.locator(".tippy-box:visible").first.wait_for(state="hidden")
    for toggle in page.locator("[data-side-panel-toggle]").all():
        name = toggle.get_attribute("data-side-panel-toggle")
        toggle.click()
        page.locator(f'[data-side-panel="{name}"]').wait_for()
        look(f"side panel {name}")
    toggle.click()  # the last panel closed again, the editor at its full width
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    editor.locator("[data-block=true]").first.click()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")  # a line of the first paragraph selected
    page.locator("[class*=Toolbar] button[name=LINK]").wait_for()
    look("the rich-text editor's toolbar")
    page.locator("[class*=Toolbar] button[name=LINK]").click()
    look_in_modal("the link chooser")
    page.locator(".c-sf-add-button").first.click()
    look("the body's block chooser")
    page.keyboard.press("Escape")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.locator(".Draftail-BlockToolbar__trigger:visible").first.click()
    look("the rich-text editor's block chooser")
    page.keyboard.press("Escape")
    for block in ("รูปภาพ", "ดาวน์โหลด"):  # an image block and a document block, each with its chooser
        page.locator(".c-sf-add-button").first.click()
        page.get_by_role("option", name=block, exact=True).click()
        page.locator("[data-chooser-action-choose]:visible").first.click()
        look_in_modal(f"the chooser of a new {block} block")
    edits_autosaved(page)
    page.locator(".w-field__comment-button--add").first.click()
    look("a new comment")
    # The comment cancelled and the editor left before the browser closes, as a person would: a
    # comment form torn down with its page left Wagtail's focus trap without a field to hold.
    # Pressed from the keyboard: a mouse press first blurs the text box, the comment loses its
    # focused place beside the field and moves, and the release can land beside the button.
    page.locator(".comment button", has_text="ยกเลิก").first.press("Enter")
    page.locator(".comment textarea").first.wait_for(state="detached")
    page.goto("about:blank")
    return found


# Neither unsaved edits nor an autosave in flight, for this long: Wagtail's editor looks for edits
# every 500 ms and starts an autosave 530 ms after it finds one, so a quiet second and a half means
# the last edit has been saved.
AUTOSAVE_QUIET_MS = 1500


def edits_autosaved(page) -> None:
    """Wait until the editor has autosaved the trainer's edits. An autosave's answer reloads the
    comments from the server, which drops a new comment not written yet (Wagtail 8's comments app
    resets its store): a trainer who opens a comment while her last edit is saving loses it."""
    page.wait_for_function(
        """quietFor => {
            const form = document.querySelector('[data-controller~="w-unsaved"]');
            const indicator = document.getElementById("w-autosave-indicator");
            const busy = form.getAttribute("data-w-unsaved-has-edits-value") === "true"
                || indicator.getAttribute("data-w-autosave-state-value") === "saving";
            if (busy) {
                window.autosaveQuietSince = null;
                return false;
            }
            window.autosaveQuietSince ??= performance.now();
            return performance.now() - window.autosaveQuietSince >= quietFor;
        }""",
        arg=AUTOSAVE_QUIET_MS,
        polling=100,
    )


def signed_in(browser, site, email: str):
    context, watched = open_context(browser, site, viewport=DESKTOP)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # leaving an editor with a comment unsaved
    staff_sign_in(page, site, email=email)
    return context, watched, page


def test_every_admin_screen_a_trainer_or_staff_member_reaches_reads_in_thai(browser, site, data):
    opened: set[str] = set()
    found: dict[str, list[str]] = {}
    for email, fewest in (
        ("trainer@example.org", 40),
        ("lead.trainer@example.org", 0),
        ("staff@example.org", 30),
    ):
        context, watched, page = signed_in(browser, site, email)
        before = len(opened)
        found |= {f"{url} ({email})": phrases for url, phrases in crawl(page, site, data, opened).items()}
        assert len(opened) - before >= fewest, (
            f"{email} reached only {len(opened) - before} new kinds of screen"
        )
        if email == "trainer@example.org":
            page.goto(lesson_editor(page, "how-to-use-this-platform"), wait_until="networkidle")
            found |= {
                f"lesson editor: {what}": phrases
                for what, phrases in open_menus_and_choosers(page, data).items()
            }
        context.close()
        assert watched.problems == [], "\n".join(watched.problems)
    assert found == {}, "Latin-script words left in the Thai admin:\n" + "\n".join(
        f"{where}: {', '.join(phrases)}" for where, phrases in found.items()
    )


def test_the_allow_list_is_short_and_every_entry_says_why():
    assert len(ALLOWED) <= 40
    assert all(reason.strip() for reason in ALLOWED.values())
