"""The evaluation a course requires: it holds the completion and the certificate until it is given,
then both follow exactly once; a second submission is refused and records nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import Certificate
from courses.evaluations import services
from courses.evaluations.models import EvaluationAnswer, EvaluationDone
from courses.learning.models import CourseCompletion
from tests.courses.evaluations.helpers import (
    GOOD_ANSWERS,
    GOOD_POST,
    RELEVANCE,
    default_form,
    evaluated_course,
    finished_volunteer,
)
from tests.factories import make_course_tree, make_volunteer

pytestmark = pytest.mark.django_db


def test_the_ministry_default_form_exists_with_the_reaction_questions_in_thai_and_english():
    form = default_form()
    kinds = [block.block_type for block in form.questions]
    assert kinds == ["rating", "rating", "rating", "choice", "text"]
    assert all(block.value["question_th"] and block.value["question_en"] for block in form.questions)


def test_finishing_the_lessons_of_a_course_that_requires_the_evaluation_issues_no_certificate_yet():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    assert not CourseCompletion.objects.filter(volunteer=volunteer).exists()
    assert not Certificate.objects.filter(volunteer=volunteer).exists()


def test_submitting_the_evaluation_completes_the_course_and_issues_one_certificate():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson, country="SE")
    completion = services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    assert completion is not None
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1
    answer = EvaluationAnswer.objects.get()
    assert answer.country == "SE" and answer.month.day == 1 and answer.answers[RELEVANCE] == 5
    assert answer.form == default_form() and answer.form_version == default_form().version
    assert EvaluationDone.objects.filter(volunteer=volunteer, course=course).count() == 1


def test_a_second_submission_is_refused_and_records_nothing():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    with pytest.raises(services.AlreadyEvaluated):
        services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    assert EvaluationAnswer.objects.count() == 1
    assert Certificate.objects.filter(volunteer=volunteer).count() == 1


def test_a_submission_racing_past_the_first_check_meets_the_constraint_and_keeps_no_answer(monkeypatch):
    """Two tabs at the same moment: both pass the "already done?" check; the second insert of the
    done mark fails on the unique constraint and its whole submission rolls back."""
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    EvaluationDone.objects.create(volunteer=volunteer, course=course)  # the other tab's mark
    monkeypatch.setattr(services, "evaluation_done", lambda **kwargs: False)
    monkeypatch.setattr(services, "evaluation_due", lambda **kwargs: True)
    with pytest.raises(services.AlreadyEvaluated):
        services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    assert EvaluationAnswer.objects.count() == 0
    assert not Certificate.objects.filter(volunteer=volunteer).exists()


def test_an_evaluation_before_the_lessons_are_done_is_refused():
    course, _lesson = evaluated_course()
    volunteer = make_volunteer().user
    with pytest.raises(services.EvaluationNotDue):
        services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    assert EvaluationAnswer.objects.count() == 0 and EvaluationDone.objects.count() == 0


def test_a_course_without_the_setting_completes_as_before():
    course, _module, lesson = make_course_tree(title="Plain course")
    volunteer = finished_volunteer(course, lesson)
    assert CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists()
    with pytest.raises(services.EvaluationNotDue):
        services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)


def test_a_course_may_use_its_own_form():
    from courses.evaluations.models import EvaluationForm

    own = EvaluationForm.objects.create(
        name_th="แบบประเมินของหลักสูตร",
        name_en="The course's own form",
        questions=[
            {"type": "text", "value": {"question_th": "ข้อคิดเห็น", "question_en": "Comments", "required": True}}
        ],
    )
    course, lesson = evaluated_course()
    course.evaluation_form = own
    course.save_revision().publish()
    volunteer = finished_volunteer(course, lesson)
    key = str(own.questions[0].id)
    services.evaluation_submit(volunteer=volunteer, course=course, answers={key: "ดีมาก"})
    assert EvaluationAnswer.objects.get().form == own


def test_the_submission_writes_no_query_that_names_the_person_in_the_answer_table():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    with CaptureQueriesContext(connection) as queries:
        services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    inserts = [q["sql"] for q in queries if "INSERT" in q["sql"] and "evaluationanswer" in q["sql"]]
    assert len(inserts) == 1
    assert "volunteer" not in inserts[0] and "user" not in inserts[0]


def test_the_form_page_shows_and_validates_and_submits(client):
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    client.force_login(volunteer)
    url = f"/learn/evaluations/{course.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "เนื้อหาของหลักสูตรนี้เกี่ยวข้อง" in html and "csrfmiddlewaretoken" in html
    bad = client.post(url, {**GOOD_POST, f"q-{RELEVANCE}": "9"})
    assert bad.status_code == 400
    assert "เลือกตัวเลขตั้งแต่ 1 ถึง 5" in bad.content.decode()
    missing = client.post(url, {})
    assert missing.status_code == 400 and "กรุณาตอบคำถามนี้" in missing.content.decode()
    assert EvaluationAnswer.objects.count() == 0
    done = client.post(url, GOOD_POST)
    assert done.status_code == 302 and done["Location"] == course.url
    assert Certificate.objects.filter(volunteer=volunteer).count() == 1
    again = client.post(url, GOOD_POST)
    assert again.status_code == 409 and "ท่านตอบแบบประเมินของหลักสูตรนี้แล้ว" in again.content.decode()
    assert EvaluationAnswer.objects.count() == 1


def test_the_form_page_is_in_english_for_an_english_reader(client):
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    client.force_login(volunteer)
    html = client.get(f"/en/learn/evaluations/{course.pk}/").content.decode()
    assert "How relevant was this course" in html


def test_the_form_is_refused_before_the_lessons_and_missing_for_courses_without_it(client):
    course, _lesson = evaluated_course()
    volunteer = make_volunteer().user
    client.force_login(volunteer)
    assert client.get(f"/learn/evaluations/{course.pk}/").status_code == 403
    plain, _module, _lesson = make_course_tree(title="Plain")
    assert client.get(f"/learn/evaluations/{plain.pk}/").status_code == 404
    assert client.get("/learn/evaluations/999999/").status_code == 404


def test_the_course_page_and_dashboard_ask_for_the_evaluation(client):
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    client.force_login(volunteer)
    for url in (course.url, "/learn/"):
        html = client.get(url).content.decode()
        assert "กรอกแบบประเมินเพื่อรับใบประกาศนียบัตร" in html, url
        assert f"/learn/evaluations/{course.pk}/" in html, url


def test_marking_the_last_required_lesson_done_leads_to_the_course_page_that_asks_for_the_evaluation(client):
    from courses.models import LessonPage

    course, lesson = evaluated_course()
    optional = LessonPage(title="Optional reading", slug="optional", is_required=False, body=[])
    lesson.get_parent().add_child(instance=optional)
    optional.save_revision().publish()
    volunteer = make_volunteer().user
    from courses.learning.services import course_enrol

    course_enrol(volunteer=volunteer, course=course)
    client.force_login(volunteer)
    response = client.post(f"/learn/lessons/{lesson.pk}/done/")
    assert response.status_code == 302 and response["Location"] == course.url
    assert "กรอกแบบประเมินเพื่อรับใบประกาศนียบัตร" in client.get(course.url).content.decode()
