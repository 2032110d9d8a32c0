"""What a phone downloads to read a course offline (courses/learning/offline.py, issue 24): who may
ask, which pages, which one file of each picture, documents and videos, the sizes and the version."""

import datetime
import itertools
import uuid
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.learning.offline import Picture, offline_width, page_pictures
from courses.learning.services import course_enrol
from courses.models import CoursePage, LessonPage, QuizAttempt
from courses.quizzes.services import quiz_attempt_start
from tests.courses.learning.test_learning import add_lesson
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import enrolled_reader, make_course_tree, make_document, make_image, make_volunteer
from tests.query_counts import beyond_the_session
from training.content_version import content_cache

pytestmark = pytest.mark.django_db


def offline_url(course, language: str = "") -> str:
    return f"{'/' + language if language else ''}/learn/courses/{course.pk}/offline/"


def figure(image, alt: str = "A map of the region") -> dict:
    return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}


@pytest.fixture
def pictured(client):
    """A course whose lesson shows a wide image, and a reader enrolled in it."""
    image = make_image(title="Wide map", size=(1600, 900))
    course, module, lesson = make_course_tree(title="Pictured", body=[figure(image)])
    reader = enrolled_reader(client, course)
    return course, module, lesson, reader


def saved(client, course, **params) -> dict:
    response = client.get(offline_url(course), params)
    assert response.status_code == 200, response.content
    return response.json()


def fetched(client, url: str) -> bytes:
    """What a phone gets at a listed URL: from the site, or from the bucket it redirects to on S3."""
    response = client.get(url)
    if response.status_code == 302:  # a lesson video on S3: the bucket answers ranges itself
        url = response["Location"]
    if urlsplit(url).netloc:  # the bucket's own server, fetched over HTTP as the phone does
        with urlopen(url, timeout=10) as answer:  # noqa: S310 (the local S3 server)
            return answer.read()
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Who may ask -------------------------------------------------------------------------------


def test_a_visitor_not_signed_in_gets_401_with_a_message_and_nothing_of_the_course(client):
    course, _module, lesson = make_course_tree(title="Open course")
    response = client.get(offline_url(course))
    assert response.status_code == 401
    assert response.json() == {"message": "โปรดเข้าสู่ระบบก่อน ท่านจึงจะบันทึกหลักสูตรไว้ในโทรศัพท์เครื่องนี้ได้"}
    assert lesson.title not in response.content.decode()


def test_a_volunteer_not_enrolled_gets_403_asking_them_to_enrol_in_their_language(client):
    course, _module, _lesson = make_course_tree(title="Not mine")
    client.force_login(make_volunteer().user)
    response = client.get(offline_url(course))
    assert response.status_code == 403
    assert response.json() == {"message": "โปรดลงทะเบียนเรียนหลักสูตรนี้ก่อน ท่านจึงจะบันทึกไว้ในโทรศัพท์เครื่องนี้ได้"}
    english = client.get(offline_url(course, "en"))
    assert english.status_code == 403
    assert english.json() == {"message": "Enrol in the course to save it on this phone."}


def test_a_draft_course_is_404_as_if_it_did_not_exist(client):
    draft, _module, _lesson = make_course_tree(title="Draft", publish=False)
    client.force_login(make_volunteer().user)
    response = client.get(offline_url(draft))
    assert response.status_code == 404
    assert response.json()["message"]
    assert client.get("/learn/courses/999999/offline/").status_code == 404


def test_an_id_too_large_for_the_database_is_404_not_500(client):
    client.force_login(make_volunteer().user)
    for path in ("offline", "continue"):
        assert client.get(f"/learn/courses/{'9' * 30}/{path}/").status_code == 404


def test_a_course_under_a_view_restriction_is_404_for_an_enrolled_reader_it_keeps_out(client):
    course, _module, lesson = make_course_tree(title="Staff only course")
    enrolled_reader(client, course)
    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Staff")])
    response = client.get(offline_url(course))
    assert response.status_code == 404
    assert lesson.title not in response.content.decode()


def test_a_width_that_is_not_a_whole_number_is_400_with_a_message_never_500(client, pictured):
    course, *_rest = pictured
    for width in ("abc", "1.5", "²", "١٢٠٠", "12" * 20, "--5", "5-"):
        response = client.get(offline_url(course), {"width": width})
        assert response.status_code == 400, width
        assert response.json() == {"message": "ความกว้างของจอต้องเป็นจำนวนเต็มของพิกเซล เช่น 1170"}


def test_the_width_is_800_by_default_and_kept_between_1_and_4000():
    assert offline_width(None) == offline_width("") == 800
    assert offline_width("1170") == 1170
    assert offline_width("0") == offline_width("-20") == 1
    assert offline_width("999999") == 4000


def test_only_get_is_answered(client, pictured):
    course, *_rest = pictured
    assert client.post(offline_url(course)).status_code == 405


def test_the_answer_is_private_and_never_stored_by_a_shared_or_browser_cache(client, pictured):
    course, *_rest = pictured
    response = client.get(offline_url(course))
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives and "max-age" not in response["Cache-Control"]


# --- Pages -------------------------------------------------------------------------------------


def test_pages_are_the_course_then_the_outline_in_order_only_those_the_reader_can_open(client):
    course, module, first = make_course_tree(title="Ordered")
    quiz = add_quiz(module)
    second = add_lesson(module, "Second lesson")
    draft = add_lesson(module, "Draft lesson")
    draft.unpublish()
    private = add_lesson(module, "Staff lesson")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Staff")])
    enrolled_reader(client, course)
    data = saved(client, course)
    assert [(page["id"], page["kind"]) for page in data["pages"]] == [
        (course.pk, "course"),
        (module.pk, "module"),
        (first.pk, "lesson"),
        (quiz.pk, "quiz"),
        (second.pk, "lesson"),
    ]
    assert [page["url"] for page in data["pages"]] == [
        course.url,
        module.url,
        first.url,
        quiz.url,
        second.url,
    ]
    assert data["course"] == course.pk and data["title"] == "Ordered" and data["url"] == course.url


def test_each_page_is_as_big_as_the_page_the_reader_gets(client, pictured):
    course, module, _lesson, _reader = pictured
    add_quiz(module)
    data = saved(client, course)
    for page in data["pages"]:
        got = len(client.get(page["url"]).content)
        assert abs(page["bytes"] - got) <= got * 0.1, page


def test_sensitive_pages_and_their_images_are_counted_apart(client):
    plain_image, sensitive_image = make_image(size=(900, 500)), make_image(size=(1000, 600))
    course, module, plain = make_course_tree(title="Counted", body=[figure(plain_image)])
    sensitive = LessonPage(title="Hard topic", slug="hard", body=[figure(sensitive_image)], is_sensitive=True)
    module.add_child(instance=sensitive)
    sensitive.save_revision().publish()
    enrolled_reader(client, course)
    data = saved(client, course)
    assert [page["sensitive"] for page in data["pages"]] == [False, False, False, True]
    images_by_page = {image["page"]: image["bytes"] for image in data["images"]}
    assert set(images_by_page) == {plain.pk, sensitive.pk} and all(images_by_page.values())
    pages = {page["id"]: page["bytes"] for page in data["pages"]}
    assert data["sensitive_bytes"] == pages[sensitive.pk] + images_by_page[sensitive.pk]
    assert data["bytes"] == sum(pages.values()) - pages[sensitive.pk] + images_by_page[plain.pk]


def test_reading_the_list_consumes_none_of_the_readers_messages(client, pictured):
    course, _module, lesson, _reader = pictured
    client.post(f"/learn/lessons/{lesson.pk}/done/")  # "You have completed this course" waits
    saved(client, course)
    response = client.get(course.url)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "คุณเรียนจบหลักสูตรนี้แล้ว ยอดเยี่ยมมาก!"
    ]


def test_rendering_a_quiz_for_its_size_leaves_an_overdue_attempt_as_it_was(client):
    course, module, _lesson = make_course_tree(title="Timed")
    quiz = add_quiz(module, time_limit_minutes=10, overdue_handling="abandon")
    reader = enrolled_reader(client, course)
    attempt = quiz_attempt_start(volunteer=reader, quiz=quiz, token=uuid.uuid4())
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    data = saved(client, course)
    assert quiz.pk in [page["id"] for page in data["pages"]]
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS


def test_an_english_reader_gets_the_english_course_its_pages_and_titles(demo, client):
    from volunteers.demo import DEMO_PASSWORD

    assert client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    english = CoursePage.objects.get(slug="orientation", locale__language_code="en")
    response = client.get(offline_url(english, "en"))
    assert response.status_code == 200
    data = response.json()
    assert data["course"] == english.pk and data["title"] == english.title
    assert all(page["url"].startswith("/en/") for page in data["pages"])
    english_titles = set(LessonPage.objects.descendant_of(english).live().values_list("title", flat=True))
    listed = {page["title"] for page in data["pages"] if page["kind"] == "lesson"}
    assert english_titles and english_titles <= listed
    thai = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    assert thai.title not in {page["title"] for page in data["pages"]}
    # The Thai course's id at the English address: the English course too.
    assert client.get(offline_url(thai, "en")).json()["course"] == english.pk


def test_the_demo_orientation_course_costs_a_fixed_number_of_queries_once_rendered(demo, client):
    """The first request renders the course's pages (kept per content version); afterwards, the
    session store's own queries aside: the reader, the content version, the course with whether a
    view restriction applies, its translation, the reader's enrolment and progress, and the
    documents' sizes."""
    from volunteers.demo import DEMO_PASSWORD

    assert client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    first = client.get(offline_url(course), {"width": 1170})
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        again = client.get(offline_url(course), {"width": 1170})
    assert again.json() == first.json()
    queries = beyond_the_session(captured)
    assert len(queries) == 6, queries


def test_the_demo_orientation_pages_are_as_big_as_served_and_list_its_files(demo, client):
    from volunteers.demo import DEMO_PASSWORD

    assert client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    data = saved(client, course, width=1170)
    assert data["sensitive_bytes"] > 0 and data["bytes"] > 0
    assert any(page["sensitive"] for page in data["pages"])
    assert data["images"] and data["documents"] and data["videos"]
    for page in data["pages"]:
        got = len(client.get(page["url"]).content)
        assert abs(page["bytes"] - got) <= got * 0.1, page


# --- Images ------------------------------------------------------------------------------------


def test_the_saved_image_is_the_narrowest_webp_at_least_as_wide_as_the_screen(client, pictured):
    course, *_rest = pictured
    chosen = {}
    for width in (1, 300, 400, 401, 800, 1170, 1200, 4000):
        [image] = saved(client, course, width=width)["images"]
        assert image["url"].endswith(".webp")
        chosen[width] = image["url"].rsplit(".", 2)[-2]
    assert chosen == {
        1: "width-400",
        300: "width-400",
        400: "width-400",
        401: "width-800",
        800: "width-800",
        1170: "width-1200",
        1200: "width-1200",
        4000: "width-1200",  # none as wide: the widest
    }


def test_every_file_the_lesson_picture_offers_is_the_saved_one_or_one_of_its_alternates(client, pictured):
    course, _module, lesson, _reader = pictured
    [image] = saved(client, course, width=1170)["images"]
    assert image["page"] == lesson.pk
    [picture] = page_pictures(client.get(lesson.url).content.decode())
    offered = set(picture.urls)
    assert len(offered) == 9  # three formats in three widths
    assert offered == {image["url"], *image["alternates"]}
    assert image["url"] not in image["alternates"]


def test_the_course_cover_is_saved_with_its_alternates(client):
    cover = make_image(size=(1200, 800))
    course, _module, _lesson = make_course_tree(title="Covered")
    course.cover_image, course.cover_alt = cover, "A river"
    course.save_revision().publish()
    enrolled_reader(client, course)
    [image] = saved(client, course, width=500)["images"]
    assert image["page"] == course.pk
    assert image["url"].endswith(".fill-960x540.webp")
    [picture] = page_pictures(client.get(course.url).content.decode())
    assert set(picture.urls) == {image["url"], *image["alternates"]}


def test_the_image_size_is_the_size_of_the_file_served_at_its_url(client, pictured):
    course, *_rest = pictured
    for width in (400, 1170):
        [image] = saved(client, course, width=width)["images"]
        assert image["bytes"] == len(fetched(client, image["url"])) > 0


@pytest.mark.embedded_only  # file storage is the embedded stack's; the scale-out stack's S3 twin follows
def test_public_lesson_image_urls_are_stable_with_no_query_string_under_file_storage(client, pictured):
    """Item 7 of issue 24 on the embedded stack's file storage (the S3 twin is below)."""
    course, *_rest = pictured
    [image] = saved(client, course)["images"]
    for url in (image["url"], *image["alternates"]):
        assert "?" not in url and "Signature" not in url
        assert urlsplit(url).path.startswith("/media/images/")
    assert saved(client, course)["images"] == [image]


@pytest.mark.scaleout
def test_public_lesson_image_urls_are_stable_with_no_query_string_on_s3(client, pictured):
    """Item 7 of issue 24 on the scale-out stack: the bucket's unsigned URLs, which never expire."""
    from django.conf import settings

    course, *_rest = pictured
    [image] = saved(client, course)["images"]
    for url in (image["url"], *image["alternates"]):
        assert url.startswith(settings.STORAGES["default"]["OPTIONS"]["endpoint_url"])
        assert "?" not in url and "Signature" not in url and "X-Amz" not in url
    assert image["bytes"] > 0


def test_a_picture_without_webp_keeps_the_fallback_image():
    picture = page_pictures(
        '<picture><img src="/media/a.jpg" srcset="/media/a.jpg 400w, /media/b.jpg 800w"></picture>'
    )[0]
    assert isinstance(picture, Picture)
    assert picture.chosen(600) == "/media/b.jpg"
    assert page_pictures('<picture><img src="/media/only.png"></picture>')[0].chosen(600) == "/media/only.png"


# --- Documents and videos ----------------------------------------------------------------------


def test_videos_captions_and_downloads_are_listed_with_their_sizes_and_the_links_the_page_has(client):
    video = make_document(title="Clip", filename="clip.mp4", content=b"v" * 3000)
    captions = make_document(title="Clip captions", filename="clip.vtt", content=b"WEBVTT\n\n")
    handout = make_document(title="Handout file", filename="handout.pdf", content=b"%PDF" + b"x" * 500)
    type(handout).objects.filter(pk=handout.pk).update(file_size=None)  # uploaded before sizes were kept
    body = [
        {"type": "video", "value": {"video": video.pk, "captions": captions.pk, "captions_language": "th",
                                    "title": "Breathing", "transcript": ""}},
        {"type": "download", "value": {"document": handout.pk, "title": "Safety plan", "description": ""}},
    ]  # fmt: skip
    course, _module, lesson = make_course_tree(title="Media", body=body)
    enrolled_reader(client, course)
    data = saved(client, course)
    html = client.get(lesson.url).content.decode()
    # The captions come with their video, never offered as a video of their own.
    [listed] = data["videos"]
    assert (listed["title"], listed["bytes"], listed["page"]) == ("Breathing", 3000, lesson.pk)
    assert [file["bytes"] for file in listed["captions"]] == [8]
    assert [(document["title"], document["bytes"]) for document in data["documents"]] == [
        ("Safety plan", 504)
    ]
    for file in (*data["videos"], *listed["captions"], *data["documents"]):
        assert f'"{file["url"]}"' in html
        assert len(fetched(client, file["url"])) == file["bytes"]
    handout.refresh_from_db()
    assert handout.file_size == 504  # filled in on the way
    assert data["bytes"] == sum(page["bytes"] for page in data["pages"])  # files are counted apart


# --- The version -------------------------------------------------------------------------------


def test_the_version_stays_while_nothing_changes_and_changes_with_the_files_chosen(client, pictured):
    course, *_rest = pictured
    first = saved(client, course, width=1170)["version"]
    assert saved(client, course, width=1170)["version"] == first
    assert saved(client, course, width=1100)["version"] == first  # the same 1200 pixel file
    assert saved(client, course, width=300)["version"] != first


def test_the_version_changes_when_a_page_is_published_unpublished_or_moved(client, pictured):
    course, module, lesson, _reader = pictured
    versions = [saved(client, course)["version"]]
    lesson.save_revision().publish()
    versions.append(saved(client, course)["version"])
    second = add_lesson(module, "Second lesson")
    versions.append(saved(client, course)["version"])
    second.unpublish()
    versions.append(saved(client, course)["version"])
    other_module = module.copy(
        update_attrs={"slug": "other-module", "title": "Other module"}, copy_revisions=False
    )
    other_module.save_revision().publish()
    versions.append(saved(client, course)["version"])
    lesson.move(other_module, pos="last-child")
    versions.append(saved(client, course)["version"])
    # Each change moves it (unpublishing the second lesson brings back the state before it came).
    assert all(before != after for before, after in itertools.pairwise(versions))
    assert len(set(versions)) == len(versions) - 1 and versions[3] == versions[1]


def test_the_version_does_not_move_when_other_content_changes(client, pictured):
    course, *_rest = pictured
    before = saved(client, course)["version"]
    other, _module, _lesson = make_course_tree(title="Another course")
    other.save_revision().publish()
    content_cache.clear()
    assert saved(client, course)["version"] == before


def test_a_second_reader_of_the_course_is_answered_from_the_kept_rendering(client, pictured, monkeypatch):
    from courses.learning import offline

    course, *_rest = pictured
    first = saved(client, course)
    monkeypatch.setattr(offline, "_rendered", lambda *args: pytest.fail("rendered again"))
    other = make_volunteer().user
    course_enrol(volunteer=other, course=course)
    client.force_login(other)
    assert saved(client, course) == first
