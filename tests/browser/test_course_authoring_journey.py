"""A new lead trainer builds a course in the Wagtail admin, previews a lesson, publishes, and finds
the course in the catalog: the whole authoring journey in a real browser. (Since issue 23 only lead
trainers publish; a trainer submits for review, tests/journeys/test_course_review_journey.py.)"""

import pytest
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from courses.models import CoursePage, LessonPage, ModulePage
from tests.factories import PASSWORD, catalog_page, make_image, make_user

pytestmark = pytest.mark.browser


def open_publish_menu_and_publish(page):
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()


def test_a_lead_trainer_creates_previews_and_publishes_a_course_shown_in_the_catalog(live_server, page):
    trainer = make_user(email="new.lead@example.org", group="Lead trainers")
    # The trainer reads the admin in English; the steps below find controls by their English names.
    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    make_image(title="Listening circle", size=(800, 450))
    catalog = catalog_page()

    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", trainer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    # The catalog is the trainer's part of the page tree; a course is the only page it can hold.
    page.goto(live_server.url + "/admin/pages/")
    page.locator(f"a[href='/admin/pages/{catalog.pk}/']").first.click()
    page.locator(f"a[href='/admin/pages/{catalog.pk}/add_subpage/']").first.click()
    page.wait_for_url(f"**/admin/pages/add/courses/coursepage/{catalog.pk}/")
    page.fill("#id_title", "Listening to people in crisis")
    page.locator("#id_title").press("Tab")  # Wagtail fills the slug from the title on blur
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    page.fill("#id_summary", "How to listen well when someone abroad calls for help.")
    page.fill("#id_estimated_hours", "2")
    open_publish_menu_and_publish(page)
    page.wait_for_url("**/admin/pages/*/")
    course = CoursePage.objects.get(title="Listening to people in crisis")
    assert course.live

    # A module in the course.
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/add_subpage/")
    page.wait_for_url(f"**/admin/pages/add/courses/modulepage/{course.pk}/")
    page.fill("#id_title", "First steps")
    page.locator("#id_title").press("Tab")  # Wagtail fills the slug from the title on blur
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")
    page.fill("#id_summary", "Where listening starts.")
    open_publish_menu_and_publish(page)
    page.wait_for_url("**/admin/pages/*/")
    module = ModulePage.objects.child_of(course).get()

    # A lesson with rich text, an image and a callout.
    # A module holds lessons and quizzes, so the admin asks which: choose "lesson".
    page.goto(f"{live_server.url}/admin/pages/{module.pk}/add_subpage/")
    page.locator(f"a[href*='/admin/pages/add/courses/lessonpage/{module.pk}/']").click()
    page.wait_for_url(f"**/admin/pages/add/courses/lessonpage/{module.pk}/")
    page.fill("#id_title", "Listening without judging")
    page.locator("#id_title").press("Tab")  # Wagtail fills the slug from the title on blur
    page.wait_for_function("document.querySelector('#id_slug').value !== ''")

    page.locator("#panel-child-content-body-content button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Text").click()
    page.locator("#panel-child-content-body-content [contenteditable='true']").first.click()
    page.keyboard.type("Let the person finish before you speak.")

    page.locator("#panel-child-content-body-content button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Image").click()
    page.get_by_role("button", name="Choose an image").click()
    page.get_by_role("link", name="Listening circle").click()
    page.locator("input[name$='-value-alt_text']").fill("Volunteers sitting in a circle, listening")

    page.locator("#panel-child-content-body-content button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Callout").click()
    page.locator("input[name$='-value-title']").last.fill("Stay safe")
    page.locator("#panel-child-content-body-content [contenteditable='true']").last.click()
    page.keyboard.type("Never promise to keep a secret that puts a life at risk.")

    # Preview: the lesson as a volunteer will see it, before anything is published.
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator(".w-preview__iframe, iframe[id^='w-preview-iframe']").first
    # The panel posts the form, then loads the preview into a new frame: on the busy two-core CI
    # machine (both passes at once) that once took longer than the 5 s an expectation waits.
    expect(preview.get_by_text("Let the person finish before you speak.")).to_be_visible(timeout=20_000)
    expect(preview.locator("img[alt='Volunteers sitting in a circle, listening']")).to_have_count(1)
    expect(preview.get_by_text("Never promise to keep a secret")).to_be_visible()

    open_publish_menu_and_publish(page)
    page.wait_for_url("**/admin/pages/*/")
    lesson = LessonPage.objects.get(title="Listening without judging")
    assert lesson.live
    assert [block.block_type for block in lesson.body] == ["text", "image", "callout"]

    # The catalog now lists the course, and the lesson reads as written.
    page.goto(live_server.url + catalog.url)
    page.get_by_role("link", name="Listening to people in crisis").click()
    page.get_by_role("link", name="Listening without judging").click()
    expect(page.get_by_text("Let the person finish before you speak.")).to_be_visible()
    expect(page.locator("img[alt='Volunteers sitting in a circle, listening']")).to_be_visible()
    expect(page.get_by_text("Stay safe")).to_be_visible()
