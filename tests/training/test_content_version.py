"""What is kept per content version (course structures, routed pages, the site, language switch
addresses) is never served once the content has changed, in this process or any other."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site

from courses.learning.services import lesson_complete
from courses.models import LessonPage, LessonProgress
from tests.factories import catalog_page, enrolled_reader, make_course_tree
from training.content_version import ContentCache, request_version
from training.models import ContentVersion
from training.routing import page_for_url_path

pytestmark = pytest.mark.django_db


def token() -> str | None:
    return ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def test_every_kind_of_content_change_changes_the_version():
    course, module, lesson = make_course_tree(title="Versioned")
    changes = [
        lambda: lesson.save_revision().publish(),
        lambda: lesson.unpublish(),
        lambda: PageViewRestriction.objects.create(page=module, restriction_type="login"),
        lambda: PageViewRestriction.objects.filter(page=module).delete(),
        lambda: Site.objects.update_or_create(hostname="other.example.org", defaults={"root_page": course}),
        lambda: lesson.move(course, pos="last-child"),
        lambda: Page.objects.get(pk=lesson.pk).delete(),
    ]
    seen = {token()}
    for change in changes:
        change()
        seen.add(token())
    assert None not in seen
    assert len(seen) == len(changes) + 1


def test_learning_does_not_change_the_version(client):
    course, _module, lesson = make_course_tree(title="Steady")
    reader = enrolled_reader(client, course)
    before = token()
    lesson_complete(volunteer=reader, lesson=lesson)
    assert LessonProgress.objects.filter(volunteer=reader).count() == 1
    assert token() == before


def test_a_published_change_shows_on_the_next_course_page(client):
    course, _module, lesson = make_course_tree(title="Fresh")
    enrolled_reader(client, course)
    assert "Fresh lesson" in client.get(course.url).content.decode()
    lesson.title = "Renamed lesson"
    lesson.save_revision().publish()
    page = client.get(course.url).content.decode()
    assert "Renamed lesson" in page
    assert "Fresh lesson" not in page


def test_an_unpublished_or_restricted_item_leaves_the_outline(client):
    course, module, lesson = make_course_tree(title="Shrinking")
    enrolled_reader(client, course)
    assert "Shrinking lesson" in client.get(course.url).content.decode()
    restriction = PageViewRestriction.objects.create(page=module, restriction_type="groups")
    restriction.groups.add(Group.objects.get(name="Staff"))
    assert "Shrinking lesson" not in client.get(course.url).content.decode()
    restriction.delete()
    assert "Shrinking lesson" in client.get(course.url).content.decode()
    lesson.unpublish()
    assert "Shrinking lesson" not in client.get(course.url).content.decode()


def test_a_change_committed_by_another_process_is_seen(client):
    """Another process changes pages and the version; this one has only the database to go by."""
    course, _module, _lesson = make_course_tree(title="Elsewhere")
    enrolled_reader(client, course)
    client.get(course.url)  # kept here for the current version
    LessonPage.objects.filter(pk=_lesson.pk).update(title="Changed elsewhere")  # no signal here
    ContentVersion.change()  # what the other process's signal did in its transaction
    assert "Changed elsewhere" in client.get(course.url).content.decode()


def test_each_request_gets_its_own_copy_of_a_kept_page(rf):
    course, _module, _lesson = make_course_tree(title="Copied")
    version = request_version(None)
    root = catalog_page().get_parent().specific
    first = page_for_url_path(root=root, path_components=["courses", course.slug], version=version)
    second = page_for_url_path(root=root, path_components=["courses", course.slug], version=version)
    assert first is not None and first.pk == second.pk == course.pk
    first.title = "Changed by one request"
    assert second.title == "Copied"


def test_the_home_page_reads_no_site_or_page_rows_once_kept(client, django_assert_num_queries):
    client.get("/")
    # The content version, and Wagtail's view restriction check (the page's ancestors, their
    # restrictions); the site, its root page in the language read and the language switch address are
    # kept.
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200


def test_the_cache_keeps_values_only_for_their_version():
    cache = ContentCache()
    cache.put("a", "key", "value for a")
    assert cache.get("a", "key") is None  # never seen "a" as current yet: nothing was kept
    assert cache.get_or_build("a", "key", lambda: "built for a") == "built for a"
    assert cache.get("a", "key") == "built for a"
    assert cache.get("b", "key") is None  # a new version drops what the old one kept
    cache.put("a", "key", "late value for a")  # built by a request still on the old version
    assert cache.get("b", "key") is None
    assert cache.get_or_build(None, "key", lambda: "unversioned") == "unversioned"
    assert cache.get(None, "key") is None  # without a version nothing is kept


def test_the_cache_is_bounded():
    cache = ContentCache()
    cache.MAX_ENTRIES = 3
    for number in range(5):
        cache.get_or_build("v", number, lambda number=number: number * 10)
    assert [cache.get("v", number) for number in range(5)] == [None, None, 20, 30, 40]


def test_page_addresses_take_the_sites_root_paths_kept_per_content_version(client):
    course, _module, _lesson = make_course_tree(title="Addressed")
    make_course_tree(title="Offered")  # listed as available next, with its page address
    enrolled_reader(client, course)
    client.get("/learn/")
    with mock.patch.object(Site, "get_site_root_paths", wraps=Site.get_site_root_paths) as read:
        assert "Offered" in client.get("/learn/").content.decode()
        assert read.call_count == 0
        Site.objects.filter(is_default_site=True).update(site_name="Renamed")  # no signal: same version
        ContentVersion.change()
        client.get("/learn/")
        assert read.call_count == 1


def test_the_dashboard_lists_a_course_published_after_it_was_kept(client):
    course, _module, _lesson = make_course_tree(title="Kept before")
    enrolled_reader(client, course)
    assert "Kept before" in client.get("/learn/").content.decode()
    make_course_tree(title="Published after")
    board = client.get("/learn/").content.decode()
    assert "Kept before" in board and "Published after" in board
