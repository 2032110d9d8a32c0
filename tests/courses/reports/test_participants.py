"""A course's participants for its trainers (issue 23): who is enrolled, progress, last activity,
quiz results and completion, filtered and sorted, without contact data on screen or in the exports,
formula-neutralised exports named after the course, a fixed number of queries whatever the rows,
and who may open it (trainers of the course, staff, coordinators for their countries; others 404)."""

import html
import io
import re
import uuid
from urllib.parse import unquote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from courses.demo.quizzes import _right_answers
from courses.learning.services import course_completion_record, course_enrol, lesson_complete
from courses.models import LessonPage, QuizAttempt
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests import demo_copy
from tests.courses.learning.run_helpers import make_run
from tests.courses.live.calendar_helpers import translate_course
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.courses.reports.test_quiz_results_report import course_trainer
from tests.courses.reports.test_reports import csv_rows, read_time, screen_rows
from tests.factories import (
    english_admin,
    make_coordinator,
    make_course_tree,
    make_organization,
    make_user,
    make_volunteer,
)
from volunteers.countries import country_name

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


def participants_url(course, **query) -> str:
    url = f"/admin/courses/{course.pk}/participants/"
    return f"{url}?{urlencode(query)}" if query else url


def submit(profile, quiz, *, right: bool):
    started = quiz_attempt_start(volunteer=profile.user, quiz=quiz, token=uuid.uuid4())
    return quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions) if right else {})


def in_progress() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return pgettext("learning", "In progress")


def thai(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


def make_world() -> dict:
    """Orientation (two lessons, one quiz, one run): Kanya completed it in the run; Somchai did one
    lesson and failed the quiz, in the run; Malai did nothing yet; the fourth, whose name starts a
    formula, passed the quiz. Platform: Malai only. Everyone has an email, a phone and a city."""
    orientation, module, first = make_course_tree(title="Orientation", slug="orientation")
    second = add_lesson(module)
    quiz = add_quiz(module)
    quiz.title = "Safety quiz"
    quiz.save_revision().publish()
    platform = make_course_tree(title="Platform", slug="platform")[0]
    run = make_run(orientation, name="รุ่นที่ 1 / 2570")
    later = make_run(orientation, name="รุ่นที่ 2 / 2570")
    oslo = make_organization(name_th="สมาคมไทยออสโล", name_en="Thai Association Oslo", country="NO")
    stockholm = make_organization(name_th="ชมรมไทยสตอกโฮล์ม", name_en="Thai Club Stockholm", country="SE")
    people = {
        "kanya": make_volunteer(
            email="kanya.contact@example.org", phone="+47 111 22 333", city="Bergenby",
            given_name_th="กัญญา", family_name_th="ใจดี", given_name_en="Kanya", family_name_en="Jaidee",
            country="NO", organization=oslo,
        ),
        "somchai": make_volunteer(
            email="somchai.contact@example.org", phone="+47 444 55 666", city="Trondheimby",
            given_name_th="สมชาย", family_name_th="รักไทย", given_name_en="Somchai", family_name_en="Rakthai",
            country="NO", organization=oslo,
        ),
        "malai": make_volunteer(
            email="malai.contact@example.org", phone="+46 777 88 999", city="Uppsalaby",
            given_name_th="มาลัย", family_name_th="สุขใจ", given_name_en="Malai", family_name_en="Sukjai",
            country="SE", organization=stockholm,
        ),
        "formula": make_volunteer(
            email="formula.contact@example.org", phone="+45 123 45 678", city="Odenseby",
            given_name_th=FORMULA, family_name_th="", given_name_en="Napa", family_name_en="Fasai",
            country="DK",
        ),
    }  # fmt: skip
    for key in ("kanya", "somchai"):
        course_enrol(volunteer=people[key].user, course=orientation, run=run)
    for key in ("malai", "formula"):
        course_enrol(volunteer=people[key].user, course=orientation, run=later)
    course_enrol(volunteer=people["malai"].user, course=platform)
    for lesson in (first, second):
        lesson_complete(volunteer=people["kanya"].user, lesson=lesson)
    submit(people["kanya"], quiz, right=True)
    course_completion_record(volunteer=people["kanya"].user, course=orientation)
    lesson_complete(volunteer=people["somchai"].user, lesson=first)
    submit(people["somchai"], quiz, right=False)
    submit(people["formula"], quiz, right=True)
    return {
        "orientation": orientation,
        "platform": platform,
        "quiz": quiz,
        "run": run,
        "oslo": oslo,
        "stockholm": stockholm,
        **people,
    }


world_rows, world = demo_copy.world_fixtures(make_world)


def add_lesson(module):
    lesson = LessonPage(title="Second lesson", slug="second", body=[{"type": "text", "value": "<p>Two</p>"}])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def trainer(world, client):
    user = course_trainer(world["orientation"])
    client.force_login(user)
    return user


def rows_by_name(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    return {row[0]: row for row in read_rows(response)}


def read_rows(response) -> list[list[str]]:
    return [[html.unescape(cell) for cell in row] for row in screen_rows(response.content.decode())]


def headings(response) -> list[str]:
    page = response.content.decode()
    head = page.split('class="listing', 1)[1].split("</thead>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


def test_a_trainer_of_the_course_sees_each_participant_with_progress_activity_quiz_result_and_completion(
    world, client, trainer
):
    response = client.get(participants_url(world["orientation"]))
    rows = rows_by_name(response)
    assert set(rows) == {"กัญญา ใจดี", "สมชาย รักไทย", "มาลัย สุขใจ", FORMULA}
    assert headings(response)[-3:-1] == ["Safety quiz", thai("Completed")]
    kanya, somchai, malai = rows["กัญญา ใจดี"], rows["สมชาย รักไทย"], rows["มาลัย สุขใจ"]
    completion = world["kanya"].user.course_completions.get()
    with translation.override(settings.LANGUAGE_CODE):
        norway = country_name("NO")
    assert kanya[1:] == [
        "Kanya Jaidee",
        "Thai Association Oslo",
        norway,
        "รุ่นที่ 1 / 2570",
        read_time(world["kanya"].user.course_enrollments.get().enrolled_at),
        thai("Completed"),
        "2 / 2",
        "100",
        read_time(completion.completed_at),
        f"100% · {thai('Passed')}",
        read_time(completion.completed_at),
        thai("Valid"),  # the certificate the completion earned
    ]
    assert somchai[6:10] == [in_progress(), "1 / 2", "50", somchai[9]]
    assert somchai[10] == f"0% · {thai('Not passed')}"
    assert malai[4] == "รุ่นที่ 2 / 2570"
    assert malai[6:11] == [thai("Not started"), "0 / 2", "0", "", ""]


def test_the_country_is_named_and_last_activity_is_the_latest_lesson_or_quiz_attempt(world, client, trainer):
    rows = rows_by_name(client.get(participants_url(world["orientation"])))
    with translation.override(settings.LANGUAGE_CODE):
        assert rows["สมชาย รักไทย"][3] == country_name("NO")
    attempt = QuizAttempt.objects.get(volunteer=world["somchai"].user)
    assert rows["สมชาย รักไทย"][9] == read_time(attempt.finished_at)
    formula_attempt = QuizAttempt.objects.get(volunteer=world["formula"].user)
    assert rows[FORMULA][6] == in_progress()  # a quiz attempt is activity, though no lesson is done
    assert rows[FORMULA][9] == read_time(formula_attempt.finished_at)


def test_no_email_phone_or_city_on_the_page_or_in_either_export(world, client, trainer):
    contact = [
        value
        for key in ("kanya", "somchai", "malai", "formula")
        for value in (world[key].user.email, world[key].phone, world[key].city)
    ]
    page = client.get(participants_url(world["orientation"])).content.decode()
    exported_csv = b"".join(
        client.get(participants_url(world["orientation"], export="csv")).streaming_content
    )
    workbook = load_workbook(
        io.BytesIO(
            b"".join(client.get(participants_url(world["orientation"], export="xlsx")).streaming_content)
        )
    )
    cells = " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)
    for text in (page, exported_csv.decode("utf-8"), cells):
        assert "กัญญา" in text
        assert [value for value in contact if value in text] == []


def test_filters_by_run_country_organisation_and_progress(world, client, trainer):
    orientation = world["orientation"]

    def names(**query):
        return set(rows_by_name(client.get(participants_url(orientation, **query))))

    assert names(run=world["run"].pk) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    assert names(country="SE") == {"มาลัย สุขใจ"}
    assert names(organization=world["oslo"].pk) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    assert names(status="completed") == {"กัญญา ใจดี"}
    assert names(status="in_progress") == {"สมชาย รักไทย", FORMULA}
    assert names(status="not_started") == {"มาลัย สุขใจ"}
    assert names(status="in_progress", country="NO") == {"สมชาย รักไทย"}


def test_the_run_filter_offers_only_this_courses_runs(world, client, trainer):
    other = make_run(world["platform"], name="Platform run")
    page = client.get(participants_url(world["orientation"])).content.decode()
    assert "รุ่นที่ 1 / 2570" in page and "Platform run" not in page
    response = client.get(participants_url(world["orientation"], run=other.pk))
    # Another course's run is a form error (the list stays unfiltered), not a 500.
    assert response.status_code == 200
    assert response.context["filters"].errors["run"]


def test_rows_sort_by_name_progress_and_last_activity(world, client, trainer):
    def order(ordering):
        response = client.get(participants_url(world["orientation"], ordering=ordering))
        return [row[0] for row in read_rows(response)]

    assert order("-progress")[0] == "กัญญา ใจดี"
    assert order("progress")[0] == "มาลัย สุขใจ" or order("progress")[0] == FORMULA
    assert order("progress")[-1] == "กัญญา ใจดี"
    assert order("-last_activity")[-1] == "มาลัย สุขใจ"  # no activity at all comes last
    assert order("last_activity")[0] == "มาลัย สุขใจ"
    by_name = order("name")
    assert by_name == sorted(by_name)
    assert order("-name") == list(reversed(by_name))


def test_a_page_is_paginated(world, client, trainer):
    for number in range(3):
        profile = make_volunteer(given_name_th=f"ผู้เรียน{number}")
        course_enrol(volunteer=profile.user, course=world["orientation"], run=world["run"])
    response = client.get(participants_url(world["orientation"], per_page=25))
    assert len(screen_rows(response.content.decode())) == 7


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_queries_for_4_and_12_participants(world, client, trainer):
    url = participants_url(world["orientation"])
    few = _queries(client, url)
    for number in range(8):
        profile = make_volunteer(given_name_th=f"อาสา{number}", country="NO", organization=world["oslo"])
        course_enrol(volunteer=profile.user, course=world["orientation"], run=world["run"])
        submit(profile, world["quiz"], right=number % 2 == 0)
    assert _queries(client, url) == few
    assert len(screen_rows(client.get(url).content.decode())) == 12


def test_exports_neutralise_formulas_and_are_named_after_the_course_in_thai(world, client, trainer):
    world["orientation"].title = "ปฐมนิเทศ: ก่อนเดินทาง"
    world["orientation"].save_revision().publish()
    world["quiz"].title = "=SUM(1)"
    world["quiz"].save_revision().publish()
    response = client.get(participants_url(world["orientation"], export="csv"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''participants-")
    assert unquote(disposition).split("''", 1)[1].startswith("participants-ปฐมนิเทศ-ก่อนเดินทาง-")
    rows = csv_rows(response)
    assert "'=SUM(1)" in rows[0]
    assert [row[0] for row in rows[1:] if row[0].startswith("'=")] == ["'" + FORMULA]
    workbook = load_workbook(
        io.BytesIO(
            b"".join(client.get(participants_url(world["orientation"], export="xlsx")).streaming_content)
        )
    )
    sheet = workbook.active
    formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in (FORMULA, "=SUM(1)")]
    assert len(formula_cells) == 2
    assert all(cell.data_type == "s" for cell in formula_cells)  # text, never a formula


def test_the_export_lists_the_filtered_rows_as_the_screen_does_and_is_audited(world, client, trainer):
    rows = csv_rows(client.get(participants_url(world["orientation"], export="csv", country="NO")))
    assert {row[0] for row in rows[1:]} == {"กัญญา ใจดี", "สมชาย รักไทย"}
    entry = ModelLogEntry.objects.filter(action="courses.report_export").latest("timestamp")
    assert entry.data["report"] == "participants"
    assert entry.data["filters"] == {"course": world["orientation"].pk, "country": "NO"}


def test_a_trainer_who_may_not_edit_the_course_gets_404_on_the_page_its_results_and_exports(
    world, client, trainer
):
    platform = world["platform"]
    for url in (
        participants_url(platform),
        f"/admin/courses/{platform.pk}/participants/results/",
        participants_url(platform, export="csv"),
        participants_url(platform, export="xlsx"),
    ):
        assert client.get(url).status_code == 404


def test_a_page_that_is_not_a_course_is_a_404_even_for_staff(world, client):
    client.force_login(make_user(group="Staff"))
    assert client.get(participants_url(world["quiz"])).status_code == 404
    assert client.get("/admin/courses/999999/participants/").status_code == 404


def test_staff_see_any_course_and_link_names_to_the_volunteers_record(world, client):
    client.force_login(make_user(group="Staff"))
    response = client.get(participants_url(world["platform"]))
    assert set(rows_by_name(response)) == {"มาลัย สุขใจ"}
    record = reverse("wagtailsnippets_volunteers_volunteerprofile:inspect", args=[world["malai"].pk])
    assert record in response.content.decode()


def test_a_trainer_sees_names_without_a_link_to_the_record(world, client, trainer):
    record = reverse("wagtailsnippets_volunteers_volunteerprofile:inspect", args=[world["kanya"].pk])
    assert record not in client.get(participants_url(world["orientation"])).content.decode()


def test_a_coordinator_sees_only_their_countries_participants_and_country_choices(world, client):
    client.force_login(make_coordinator(("NO",)))
    response = client.get(participants_url(world["orientation"]))
    assert set(rows_by_name(response)) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    page = response.content.decode()
    assert 'value="SE"' not in page and 'value="NO"' in page
    rows = csv_rows(client.get(participants_url(world["orientation"], export="csv")))
    assert {row[0] for row in rows[1:]} == {"กัญญา ใจดี", "สมชาย รักไทย"}
    # Another country in the address is a form error that shows nobody else, and its export shows
    # the form again.
    response = client.get(participants_url(world["orientation"], country="SE"))
    assert response.context["filters"].errors["country"]
    assert set(rows_by_name(response)) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    assert client.get(participants_url(world["orientation"], country="SE", export="csv")).streaming is False


def test_the_english_translation_of_a_course_opens_the_same_participants(world, client, trainer):
    english = translate_course(world["orientation"], "Orientation (English)")
    response = client.get(participants_url(english))
    assert set(rows_by_name(response)) == {"กัญญา ใจดี", "สมชาย รักไทย", "มาลัย สุขใจ", FORMULA}
    assert "Orientation" in response.content.decode()


def test_a_volunteer_is_sent_to_the_admin_login(world, client):
    client.force_login(world["kanya"].user)
    response = client.get(participants_url(world["orientation"]))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_trainers_home_and_the_explorer_link_to_the_participants(world, client, trainer):
    url = participants_url(world["orientation"])
    home = client.get("/admin/")
    assert home.status_code == 200, home.get("Location")
    assert url in home.content.decode()
    assert participants_url(world["platform"]) not in home.content.decode()
    assert url in client.get(f"/admin/pages/{world['orientation'].pk}/edit/").content.decode()
    # The catalog in the explorer: each course's more-button, for trainers of every course.
    client.force_login(make_user(group="Trainers"))
    listing = client.get(f"/admin/pages/{world['orientation'].get_parent().pk}/")
    assert listing.status_code == 200
    assert url in listing.content.decode()
    assert participants_url(world["platform"]) in listing.content.decode()


def test_the_page_reads_in_thai_and_in_english(world, client, trainer):
    page = client.get(participants_url(world["orientation"])).content.decode()
    assert thai("Participants") == "ผู้เรียน" and "ผู้เรียน" in page
    english_admin(trainer)
    page = client.get(participants_url(world["orientation"])).content.decode()
    assert "Participants" in page and "Lessons done" in page
