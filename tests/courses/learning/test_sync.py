"""The offline app's sync endpoint (issue 24): who is signed in, and the queue of lessons done that
waited for the network, each performed once by the id the phone gave it, under the rules of the
lesson's own button. Quiz answers sent the same way: tests/courses/quizzes/test_quiz_sync.py."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Locale, PageViewRestriction

from courses.learning.records import erase_learning, export_learning
from courses.learning.services import DeadlinePassed, NotEnrolled, course_enrol
from courses.models import CourseCompletion, Enrollment, LessonPage, LessonProgress, SyncedAction
from tests.courses.learning.sync_helpers import SYNC, SYNC_EN, lesson_done, send, send_raw
from tests.courses.learning.test_learning import english_catalog
from tests.factories import enrolled_reader, make_course_tree, make_volunteer
from tests.query_counts import beyond_the_session
from training.pwa import account_key

pytestmark = pytest.mark.django_db


def in_language(code: str, message: str) -> str:
    with translation.override(code):
        return translation.gettext(message)


@pytest.fixture
def course_tree():
    return make_course_tree(title="การช่วยเหลือผู้เสียหาย")


@pytest.fixture
def reader(client, course_tree):
    course, _module, _lesson = course_tree
    return enrolled_reader(client, course)


def add_lesson(module, slug: str) -> LessonPage:
    lesson = LessonPage(title=slug, slug=slug, body=[{"type": "text", "value": "<p>Text</p>"}])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


# --- Who is signed in ---------------------------------------------------------------------------


def test_signed_out_the_phone_is_told_so_in_json_with_401_not_sent_to_the_sign_in_page(client):
    response = client.get(SYNC)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "signed_in": False,
        "message": in_language("th", "Sign in to send what this phone saved."),
    }
    assert "no-store" in response["Cache-Control"]
    english = client.get(SYNC_EN).json()
    assert english["message"] == "Sign in to send what this phone saved."
    assert english["message"] != in_language("th", english["message"])


def test_signed_in_the_phone_gets_the_account_key_and_a_csrf_token_never_cached(client, reader):
    response = client.get(SYNC_EN)
    assert response.status_code == 200
    data = response.json()
    assert data["signed_in"] is True
    assert data["account"] == account_key(reader) and str(reader.pk) != data["account"]
    assert len(data["csrf"]) == 64
    assert "no-store" in response["Cache-Control"]
    assert set(data) == {"signed_in", "account", "csrf"}


def test_sending_while_signed_out_is_401_in_json_and_records_nothing(client, course_tree):
    _course, _module, lesson = course_tree
    response = send(client, "someone", [lesson_done(lesson.pk)])
    assert response.status_code == 401
    assert response.json()["signed_in"] is False
    assert "no-store" in response["Cache-Control"]
    assert not SyncedAction.objects.exists() and not LessonProgress.objects.exists()


def test_other_methods_are_not_allowed(client, reader):
    assert client.put(SYNC).status_code == 405
    assert client.delete(SYNC).status_code == 405


# --- CSRF ---------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_header_is_refused_403_and_with_the_token_from_get_it_is_taken(course_tree):
    course, _module, lesson = course_tree
    profile = make_volunteer()
    course_enrol(volunteer=profile.user, course=course)
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(profile.user)
    hello = phone.get(SYNC).json()
    key = hello["account"]

    refused = send(phone, key, [lesson_done(lesson.pk)])
    assert refused.status_code == 403
    assert not LessonProgress.objects.exists() and not SyncedAction.objects.exists()
    wrong = send(phone, key, [lesson_done(lesson.pk)], headers={"X-CSRFToken": "x" * 64})
    assert wrong.status_code == 403

    taken = send(phone, key, [lesson_done(lesson.pk)], headers={"X-CSRFToken": hello["csrf"]})
    assert taken.status_code == 200
    assert taken.json()["results"][0]["status"] == "done"
    assert LessonProgress.objects.filter(volunteer=profile.user, lesson=lesson).exists()


# --- Lessons done -------------------------------------------------------------------------------


def test_a_lesson_done_offline_is_recorded_and_completes_the_course(client, reader, course_tree):
    course, _module, lesson = course_tree
    action = lesson_done(lesson.pk)
    response = send(client, account_key(reader), [action])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"results": [{"id": action["id"], "status": "done", "message": ""}]}
    assert LessonProgress.objects.filter(volunteer=reader, lesson=lesson).count() == 1
    assert CourseCompletion.objects.filter(volunteer=reader, course=course).exists()
    row = SyncedAction.objects.get(volunteer=reader)
    assert (str(row.client_id), row.kind, row.outcome) == (action["id"], "lesson_done", "done")
    assert row.message == ""


def test_the_english_lesson_page_id_is_recorded_on_the_thai_lesson(client, reader, course_tree):
    course, module, lesson = course_tree
    english_catalog()
    english = Locale.objects.get(language_code="en")
    for page in (course, module, lesson):
        page.copy_for_translation(english).save_revision().publish()
    english_lesson = lesson.get_translation(english)
    response = send(client, account_key(reader), [lesson_done(english_lesson.pk)], url=SYNC_EN)
    assert response.json()["results"][0]["status"] == "done"
    assert LessonProgress.objects.filter(volunteer=reader, lesson=lesson).exists()


def test_replaying_the_same_body_answers_duplicate_and_changes_nothing(client, reader, course_tree):
    _course, module, lesson = course_tree
    second = add_lesson(module, "second")
    actions = [lesson_done(lesson.pk), lesson_done(second.pk)]
    first = send(client, account_key(reader), actions).json()["results"]
    assert [result["status"] for result in first] == ["done", "done"]
    done_at = list(LessonProgress.objects.order_by("pk").values_list("pk", "completed_at"))

    again = send(client, account_key(reader), actions).json()["results"]
    assert again == [{"id": action["id"], "status": "duplicate", "message": ""} for action in actions]
    assert list(LessonProgress.objects.order_by("pk").values_list("pk", "completed_at")) == done_at
    assert SyncedAction.objects.filter(volunteer=reader).count() == 2
    assert CourseCompletion.objects.filter(volunteer=reader).count() == 1


def test_the_same_id_twice_in_one_body_is_done_once_then_duplicate(client, reader, course_tree):
    _course, _module, lesson = course_tree
    action = lesson_done(lesson.pk)
    results = send(client, account_key(reader), [action, action]).json()["results"]
    assert [result["status"] for result in results] == ["done", "duplicate"]
    assert SyncedAction.objects.count() == 1


def test_a_lesson_done_twice_under_two_ids_is_done_twice_and_recorded_once(client, reader, course_tree):
    _course, _module, lesson = course_tree
    results = send(client, account_key(reader), [lesson_done(lesson.pk), lesson_done(lesson.pk)]).json()
    assert [result["status"] for result in results["results"]] == ["done", "done"]
    assert LessonProgress.objects.filter(volunteer=reader, lesson=lesson).count() == 1


def test_a_lesson_of_a_course_the_volunteer_is_not_enrolled_in_is_refused_and_refused_again(client, reader):
    _other, _module, foreign = make_course_tree(title="Another course")
    action = lesson_done(foreign.pk)
    response = send(client, account_key(reader), [action], url=SYNC_EN)
    expected = {"id": action["id"], "status": "refused", "message": str(NotEnrolled())}
    assert response.json()["results"] == [expected]
    assert expected["message"] == "Enrol in the course first to record your progress."
    assert not LessonProgress.objects.exists() and not Enrollment.objects.filter(course=_other).exists()
    row = SyncedAction.objects.get(volunteer=reader)
    assert (row.outcome, row.message) == ("refused", expected["message"])
    # Sent again (the phone never heard the answer): the same refusal, not "duplicate".
    assert send(client, account_key(reader), [action], url=SYNC_EN).json()["results"] == [expected]
    assert SyncedAction.objects.count() == 1


def test_a_lesson_past_the_runs_deadline_is_refused_with_the_deadline_message(client, reader, course_tree):
    import datetime

    from django.utils import timezone

    course, _module, lesson = course_tree
    Enrollment.objects.filter(volunteer=reader, course=course).update(
        deadline_extended_to=timezone.now() - datetime.timedelta(days=1)
    )
    result = send(client, account_key(reader), [lesson_done(lesson.pk)], url=SYNC_EN).json()["results"][0]
    assert (result["status"], result["message"]) == ("refused", str(DeadlinePassed()))
    assert not LessonProgress.objects.exists()


def test_a_draft_lesson_is_refused_as_missing(client, reader, course_tree):
    _course, module, _lesson = course_tree
    draft = LessonPage(title="Draft", slug="draft", body=[{"type": "text", "value": "<p>x</p>"}], live=False)
    module.add_child(instance=draft)
    result = send(client, account_key(reader), [lesson_done(draft.pk)], url=SYNC_EN).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "This page does not exist or is not published."
    assert not LessonProgress.objects.exists()


def test_a_lesson_behind_a_password_the_volunteer_has_not_given_is_refused_as_missing(
    client, reader, course_tree
):
    _course, module, lesson = course_tree
    PageViewRestriction.objects.create(page=module, restriction_type="password", password="secret")
    result = send(client, account_key(reader), [lesson_done(lesson.pk)], url=SYNC_EN).json()["results"][0]
    assert result["status"] == "refused"
    assert result["message"] == "This page does not exist or is not published."
    assert not LessonProgress.objects.exists()


def test_a_page_that_is_not_a_lesson_is_refused_as_missing(client, reader, course_tree):
    course, _module, _lesson = course_tree
    result = send(client, account_key(reader), [lesson_done(course.pk)]).json()["results"][0]
    assert result["status"] == "refused" and not LessonProgress.objects.exists()


def test_malformed_actions_are_refused_one_by_one_and_the_others_still_done(client, reader, course_tree):
    _course, _module, lesson = course_tree
    good = lesson_done(lesson.pk)
    unknown_kind = {"id": str(uuid.uuid4()), "type": "certificate_issue", "lesson": lesson.pk}
    lesson_as_text = lesson_done(str(lesson.pk))
    lesson_as_bool = lesson_done(True)
    huge_lesson = lesson_done(10**30)
    actions = [
        {"id": "not-a-uuid", "type": "lesson_done", "lesson": lesson.pk},
        "a string, not an action",
        {"type": "lesson_done", "lesson": lesson.pk},
        {"id": 12, "type": "lesson_done", "lesson": lesson.pk},
        unknown_kind,
        lesson_as_text,
        lesson_as_bool,
        huge_lesson,
        good,
    ]
    results = send(client, account_key(reader), actions, url=SYNC_EN).json()["results"]
    unreadable = "This saved action could not be read, so nothing was recorded."
    assert results[:-1] == [
        {"id": "not-a-uuid", "status": "refused", "message": unreadable},
        {"id": "", "status": "refused", "message": unreadable},
        {"id": "", "status": "refused", "message": unreadable},
        {"id": "", "status": "refused", "message": unreadable},
        {"id": unknown_kind["id"], "status": "refused", "message": unreadable},
        {"id": lesson_as_text["id"], "status": "refused", "message": unreadable},
        {"id": lesson_as_bool["id"], "status": "refused", "message": unreadable},
        {"id": huge_lesson["id"], "status": "refused", "message": unreadable},
    ]
    assert results[-1] == {"id": good["id"], "status": "done", "message": ""}
    assert LessonProgress.objects.filter(volunteer=reader).count() == 1
    # Those with an id are recorded (a resend gets the same refusal); those without cannot be.
    assert SyncedAction.objects.filter(outcome="refused").count() == 4
    assert SyncedAction.objects.get(client_id=unknown_kind["id"]).kind == "certificate_issue"


def test_refusals_are_in_thai_at_the_thai_address(client, reader):
    _other, _module, foreign = make_course_tree(title="Another course")
    result = send(client, account_key(reader), [lesson_done(foreign.pk)]).json()["results"][0]
    assert result["message"] == in_language("th", "Enrol in the course first to record your progress.")
    assert result["message"] != "Enrol in the course first to record your progress."


def test_the_same_phone_id_from_two_volunteers_is_two_actions(client, reader, course_tree):
    course, _module, lesson = course_tree
    action = lesson_done(lesson.pk)
    assert send(client, account_key(reader), [action]).json()["results"][0]["status"] == "done"
    other = make_volunteer()
    course_enrol(volunteer=other.user, course=course)
    client.force_login(other.user)
    assert send(client, account_key(other.user), [action]).json()["results"][0]["status"] == "done"
    assert LessonProgress.objects.filter(lesson=lesson).count() == 2


# --- A shared phone and bodies that cannot be taken ------------------------------------------------


def test_another_accounts_queue_is_refused_409_and_nothing_is_processed(client, reader, course_tree):
    _course, _module, lesson = course_tree
    someone_else = make_volunteer().user
    response = send(client, account_key(someone_else), [lesson_done(lesson.pk)], url=SYNC_EN)
    assert response.status_code == 409
    assert response.json() == {
        "message": (
            "What this phone saved belongs to another account on it. Sign in as that person to send it."
        )
    }
    assert not SyncedAction.objects.exists() and not LessonProgress.objects.exists()
    thai = send(client, "", [lesson_done(lesson.pk)])
    assert thai.status_code == 409
    assert thai.json()["message"] == in_language("th", response.json()["message"])


UNREADABLE = "What this phone sent could not be read. Open the site again and try once more."


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "",
        "null",
        "[]",
        '"text"',
        '{"actions": []}',
        '{"account": 12, "actions": []}',
        '{"account": "k", "actions": {"id": "x"}}',
        '{"account": "k"}',
        "[" * 100_000 + "]" * 100_000,
        b"\xff\xfe\x00garbage",
    ],
)
def test_a_body_that_is_not_the_queue_is_answered_400_in_json(client, reader, body):
    response = send_raw(client, body, url=SYNC_EN)
    assert response.status_code == 400
    assert response.json() == {"message": UNREADABLE}
    assert not SyncedAction.objects.exists()


def test_a_nul_anywhere_in_the_body_is_answered_400(client, reader, course_tree):
    _course, _module, lesson = course_tree
    action = {**lesson_done(lesson.pk), "at": "2026\u0000"}
    response = send(client, account_key(reader), [action], url=SYNC_EN)
    assert response.status_code == 400 and response.json() == {"message": UNREADABLE}
    assert not LessonProgress.objects.exists()


def test_a_form_post_instead_of_json_is_answered_400_not_500(client, reader):
    assert client.post(SYNC_EN, {"account": account_key(reader)}).status_code == 400
    form = "application/x-www-form-urlencoded"
    urlencoded = send_raw(client, f"account={account_key(reader)}", url=SYNC_EN, content_type=form)
    assert urlencoded.status_code == 400


def test_more_than_200_actions_are_answered_400_and_none_is_done(client, reader, course_tree):
    _course, _module, lesson = course_tree
    response = send(client, account_key(reader), [lesson_done(lesson.pk) for _ in range(201)], url=SYNC_EN)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "This phone sent more than 200 saved actions or 256 KB at once. Send them in smaller parts."
    )
    assert not SyncedAction.objects.exists() and not LessonProgress.objects.exists()
    assert send(client, account_key(reader), [lesson_done(lesson.pk) for _ in range(200)]).status_code == 200


def test_a_body_over_256_kb_is_answered_400_and_nothing_is_done(client, reader, course_tree):
    _course, _module, lesson = course_tree
    action = {**lesson_done(lesson.pk), "at": "x" * (256 * 1024)}
    response = send(client, account_key(reader), [action], url=SYNC_EN)
    assert response.status_code == 400
    assert "256 KB" in response.json()["message"]
    assert not LessonProgress.objects.exists()


def test_an_empty_queue_is_answered_with_no_results(client, reader):
    response = send(client, account_key(reader), [])
    assert response.status_code == 200 and response.json() == {"results": []}


# --- Cost ---------------------------------------------------------------------------------------


def test_three_lessons_done_cost_a_pinned_number_of_queries(client, reader, course_tree):
    _course, module, lesson = course_tree
    lessons = [add_lesson(module, f"extra-{n}") for n in range(4)]  # the last is left: no completion
    send(client, account_key(reader), [lesson_done(lesson.pk)])  # warm the site and route caches
    actions = [lesson_done(page.pk) for page in lessons[:3]]
    with CaptureQueriesContext(connection) as captured:
        response = send(client, account_key(reader), actions)
    assert [result["status"] for result in response.json()["results"]] == ["done"] * 3
    # The session store's own queries aside: the user, the content version and the ids that arrived
    # before (3), then 24 per
    # action, 12 of them savepoints and their releases: the claim, the lesson and its view
    # restrictions, the service (the Thai lesson, its course, the enrolment, the progress, the
    # completion check with its outline) and the outcome. A constant per action, never per lesson.
    assert len(beyond_the_session(captured)) == 3 + 3 * 24


# --- What is kept about a person ---------------------------------------------------------------


def test_the_data_export_lists_what_was_sent_from_a_phone_and_erasure_deletes_it(client, reader):
    _other, _module, foreign = make_course_tree(title="Another course")
    send(client, account_key(reader), [lesson_done(foreign.pk)], url=SYNC_EN)
    exported = export_learning(reader)["sent_from_a_phone"]
    assert len(exported) == 1
    assert exported[0]["kind"] == "lesson_done" and exported[0]["outcome"] == "refused"
    assert exported[0]["reason_refused"] == "Enrol in the course first to record your progress."
    assert exported[0]["received_at"]
    erase_learning(reader, [])
    assert not SyncedAction.objects.filter(volunteer=reader).exists()


def test_an_id_claimed_after_the_look_up_is_answered_from_its_record(
    monkeypatch, client, reader, course_tree
):
    """A resend that raced the first send past the look-up of known ids meets the claim instead."""
    from courses.learning import sync

    _course, _module, lesson = course_tree
    _other, _module, foreign = make_course_tree(title="Another course")
    actions = [lesson_done(lesson.pk), lesson_done(foreign.pk)]
    first = send(client, account_key(reader), actions, url=SYNC_EN).json()["results"]
    assert [result["status"] for result in first] == ["done", "refused"]
    monkeypatch.setattr(sync, "_client_id_of", lambda action: None)  # the look-up finds nothing
    again = send(client, account_key(reader), actions, url=SYNC_EN).json()["results"]
    assert again == [{**first[0], "status": "duplicate"}, first[1]]
    assert SyncedAction.objects.count() == 2 and LessonProgress.objects.count() == 1


# --- Keeping ------------------------------------------------------------------------------------


def test_records_past_the_time_a_resend_can_come_are_pruned_daily_and_newer_ones_still_answer(
    client, reader, course_tree
):
    from courses.learning.sync import SYNCED_ACTIONS_KEPT
    from courses.learning.tasks import synced_actions_prune_task
    from training.scheduler import JOBS

    _course, _module, lesson = course_tree
    old, recent = lesson_done(lesson.pk), lesson_done(lesson.pk)
    send(client, account_key(reader), [old, recent])
    now, hour = timezone.now(), datetime.timedelta(hours=1)
    SyncedAction.objects.filter(client_id=old["id"]).update(created_at=now - SYNCED_ACTIONS_KEPT - hour)
    SyncedAction.objects.filter(client_id=recent["id"]).update(created_at=now - SYNCED_ACTIONS_KEPT + hour)
    assert JOBS["synced_actions_prune"].every == datetime.timedelta(days=1)
    assert synced_actions_prune_task.call() == {"synced_actions_deleted": 1}
    assert [str(row.client_id) for row in SyncedAction.objects.all()] == [recent["id"]]
    # The recent one still answers a resend from what it recorded.
    assert [result["status"] for result in send(client, account_key(reader), [recent]).json()["results"]] == [
        "duplicate"
    ]
