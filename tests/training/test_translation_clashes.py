"""Our Thai catalog is searched before Wagtail's and Django's, so a context-free message of ours that
is also theirs replaces their translation everywhere, admin included ("title" as the honorific made
every page title in the admin "คำนำหน้าชื่อ"). Ambiguous words of ours carry a context; every word
we still share with them was checked to fit their use too."""

from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from tests.factories import PASSWORD, make_document, make_image, make_user, make_volunteer

ROOT = Path(settings.BASE_DIR)

# Our words that mean something else in Wagtail or Django: (context, msgid, our Thai).
AMBIGUOUS = [
    ("name prefix", "title", "คำนำหน้าชื่อ"),  # Wagtail: the title of a page, image or document
    ("learning", "In progress", "กำลังเรียน"),  # Wagtail: a workflow's state
    ("quiz attempt", "In progress", "กำลังทำ"),
    ("learning", "Continue", "เรียนต่อ"),  # Wagtail: a button that goes on to the next step
    ("import outcome", "Created", "สร้างใหม่"),  # Wagtail: the date column of images, documents, users
    ("import outcome", "Updated", "ปรับปรุงแล้ว"),  # Wagtail: the date column of the page listing
    ("volunteer status", "Inactive", "ไม่ปฏิบัติงาน"),  # Wagtail: a user account that cannot sign in
]

# Messages we share with Wagtail, wagtail-localize or Django without a context, each checked to read
# right in their screens too. A new shared message fails the test below until it is checked (and
# given a context in our code where our meaning differs).
CHECKED_SHARED = {
    "Account", "Action", "Actions", "Approve", "Approved", "Breadcrumb", "Cancel", "Changes requested",
    "Check your email", "Content", "Documents", "Draft", "File", "Submitted", "file",
    "Document", "Duration", "Download CSV", "Download XLSX", "Email address", "Error", "Image", "Import",
    "Last login", "Log in", "Log out", "Main menu", "Month", "Move",
    "New password", "Notifications", "Preview", "Save",
    "Name", "Next", "No", "Not started", "Password", "Previous", "Promote", "Rejected", "Revoke",
    "Revoked", "Search", "Settings", "Show", "Site", "Skip to main content", "Status", "Summary", "Text",
    "Title", "Yes", "created", "created at", "subject", "description", "email address", "name",
    "preferred language", "required", "session", "status", "user", "users", "version",
    # Wagtail's own panels on the admin home, which its Thai catalog leaves in English (issue 23).
    "Awaiting", "Awaiting your review", "Changes requested at", "Compare with previous version",
    "Language", "Locked at", "Privacy and access", "Task", "Task started", "Task submitted by", "Tasks",
    "Unlock", "Your locked pages", "Your pages and snippets in a workflow",
    # The trainer's home (issue 23), as Wagtail translates them.
    "Edit", "Page",
    # The question bank (issue 23): แท็ก for tags everywhere (the glossary's word, Wagtail's too),
    # รูปแบบ for the import's file format and the images' format alike.
    "Format", "Tag", "Tags", "tags",
}  # fmt: skip
# Wagtail's own messages of the review workflow (action menu, notification emails), which its Thai
# catalog leaves in English: ours translate them for Wagtail's use, the only one they have.
CHECKED_SHARED |= {
    # wagtail-localize's own words where it leaves them in English (courses/translation/localize_labels.py).
    "More actions",
    "Translated with {tool_name} on {date}",
    "Translated manually on {date}",
    "Machine translated on {date}",
    "Request changes",
    "Approve with comment",
    'The page "%(title)s" has been submitted for approval in moderation stage "%(task)s"',
    'The page "%(title)s" has been submitted for approval to moderation stage "%(task)s".',
    'The page "%(title)s" has been approved in "%(workflow)s".',
    'The page "%(title)s" has been approved in workflow "%(workflow)s".',
    'The page "%(title)s" has been rejected during "%(workflow)s".',
    'The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" by %(rejector)s.',
    'The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".',
    'The following comment was left: "%(comment)s"',
    'The page "%(title)s" has been submitted to workflow "%(workflow)s"',
    'The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s" by %(requester)s.',
    'The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s".',
}


def their_messages() -> dict[str, set[str]]:
    """Every context-free msgid in the catalogs of the installed apps and Django, by app."""
    import django

    sources = [Path(django.__file__).parent / "conf"]
    sources += [Path(config.path) for config in apps.get_app_configs()]
    found: dict[str, set[str]] = {}
    for source in sources:
        if source.resolve().is_relative_to(ROOT.resolve()) and ".venv" not in source.parts:
            continue  # our own apps
        for language in ("en", "th"):
            for path in (source / "locale" / language / "LC_MESSAGES").glob("*.po"):
                for entry in polib.pofile(path):
                    if not entry.msgctxt and not entry.obsolete:
                        found.setdefault(entry.msgid, set()).add(source.name)
    return found


def test_every_message_we_share_with_wagtail_or_django_was_checked():
    ours = polib.pofile(ROOT / "locale/th/LC_MESSAGES/django.po")
    theirs = their_messages()
    shared = {entry.msgid for entry in ours if not entry.msgctxt and entry.msgid in theirs}
    unchecked = sorted(
        f"{msgid!r} (also in {', '.join(sorted(theirs[msgid]))})" for msgid in shared - CHECKED_SHARED
    )
    assert unchecked == [], "check these fit their use too, or give ours a context: " + "; ".join(unchecked)
    assert not {msgid for _context, msgid, _thai in AMBIGUOUS} & shared


@pytest.mark.parametrize(("context", "msgid", "thai"), AMBIGUOUS)
def test_an_ambiguous_word_is_ours_only_in_its_context(context, msgid, thai):
    with translation.override("th"):
        assert translation.pgettext(context, msgid) == thai
        assert translation.gettext(msgid) != thai


@pytest.mark.django_db
def test_the_admin_title_fields_are_not_the_honorific(client):
    from wagtail.models import Page

    admin = make_user(is_superuser=True, is_staff=True)
    client.login(email=admin.email, password=PASSWORD)
    home = Page.objects.get(depth=2, locale__language_code="th")
    screens = [
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/images/{make_image().pk}/",
        f"/admin/documents/edit/{make_document().pk}/",
    ]
    for url in screens:
        html = client.get(url).content.decode()
        assert 'for="id_title"' in html, url
        assert "คำนำหน้าชื่อ" not in html, url


@pytest.mark.django_db
def test_the_profile_still_calls_the_honorific_by_its_name(client):
    profile = make_volunteer()
    client.login(email=profile.user.email, password=PASSWORD)
    assert "คำนำหน้าชื่อ" in client.get("/accounts/profile/").content.decode()
