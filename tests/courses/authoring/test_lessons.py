"""Reading lessons: sensitive lessons open with a content note and a quick exit; videos can be seeked."""

import pytest
from django.test import override_settings
from django.urls import reverse

from courses.authoring.media import parse_range
from tests.factories import enrolled_reader, make_course_tree, make_document

pytestmark = pytest.mark.django_db


@override_settings(QUICK_EXIT_URL="https://neutral.example/")
def test_a_sensitive_lesson_opens_with_a_content_note_and_a_quick_exit_link(client):
    course, _module, lesson = make_course_tree(
        title="Violence", is_sensitive=True, content_note="This lesson describes abuse at home."
    )
    enrolled_reader(client, course)
    html = client.get(lesson.url).content.decode()
    assert "This lesson describes abuse at home." in html
    assert html.index("This lesson describes abuse at home.") < html.index('id="lesson-body"')
    # A plain link: it leaves at once without JavaScript; the script only improves it.
    assert '<a class="quick-exit" href="https://neutral.example/"' in html
    assert 'rel="noreferrer noopener"' in html
    assert "js/quick-exit.js" in html


def test_a_sensitive_lesson_without_its_own_note_shows_the_general_note(client):
    course, _module, lesson = make_course_tree(title="Depression", is_sensitive=True)
    enrolled_reader(client, course)
    html = client.get(lesson.url).content.decode()
    assert 'class="content-note"' in html


def test_an_ordinary_lesson_has_neither_content_note_nor_quick_exit(client):
    _course, _module, lesson = make_course_tree(title="Welfare")
    html = client.get(lesson.url).content.decode()
    assert "quick-exit" not in html
    assert "content-note" not in html


def test_a_lesson_links_to_the_next_and_previous_lesson_of_its_course(client):
    from courses.models import LessonPage

    _course, module, first = make_course_tree(title="Order")
    second = LessonPage(title="Second lesson", slug="second", body=[])
    module.add_child(instance=second)
    second.save_revision().publish()
    assert f'rel="next" href="{second.url}"' in client.get(first.url).content.decode()
    assert f'rel="prev" href="{first.url}"' in client.get(second.url).content.decode()


def media_url(document) -> str:
    return reverse("courses:lesson_media", args=[document.id, document.filename])


VIDEO_BYTES = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def video(monkeypatch):
    # Serve through the app whatever the storage: on S3 the view would otherwise redirect to the
    # bucket, whose range answers tests/courses/authoring/test_media_scaleout.py checks.
    monkeypatch.setattr("courses.authoring.media.has_local_path", lambda file: True)
    return make_document(title="Clip", filename="clip.mp4", content=VIDEO_BYTES)


def test_a_video_answers_a_range_request_with_partial_content(client, video):
    response = client.get(media_url(video), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO_BYTES)}"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == VIDEO_BYTES[100:200]


def test_a_video_answers_an_open_ended_and_a_suffix_range(client, video):
    tail = client.get(media_url(video), HTTP_RANGE="bytes=10000-")
    assert tail.status_code == 206
    assert b"".join(tail.streaming_content) == VIDEO_BYTES[10000:]
    suffix = client.get(media_url(video), HTTP_RANGE="bytes=-40")
    assert b"".join(suffix.streaming_content) == VIDEO_BYTES[-40:]


def test_a_video_without_a_range_is_sent_whole_and_says_it_accepts_ranges(client, video):
    response = client.get(media_url(video))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content) == VIDEO_BYTES


def test_a_range_beyond_the_end_is_refused_with_416(client, video):
    response = client.get(media_url(video), HTTP_RANGE=f"bytes={len(VIDEO_BYTES) + 5}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


def test_captions_are_served_as_webvtt(client):
    captions = make_document(title="Captions", filename="clip.vtt", content=b"WEBVTT\n")
    response = client.get(media_url(captions))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vtt")


def test_other_documents_are_not_served_as_lesson_media(client):
    notes = make_document(title="Notes", filename="notes.txt")
    assert client.get(media_url(notes)).status_code == 404


def test_a_wrong_file_name_is_not_found(client, video):
    assert client.get(reverse("courses:lesson_media", args=[video.id, "other.mp4"])).status_code == 404


def test_a_video_in_a_private_collection_asks_for_login(client):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    clip = make_document(title="Private clip", filename="private.mp4", content=b"x" * 10)
    clip.collection = private
    clip.save()
    response = client.get(media_url(clip), HTTP_RANGE="bytes=0-")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=50-500", (50, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=100-", None),
        ("bytes=9-3", None),
        ("bytes=-0", None),
        ("items=0-5", None),
        ("bytes=abc", None),
    ],
)
def test_range_headers_are_parsed_strictly(header, expected):
    assert parse_range(header, 100) == expected
