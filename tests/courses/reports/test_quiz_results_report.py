"""The quiz results report: one row per quiz and volunteer with the grade that counts, filters,
exports that equal the screen, formula neutralisation, audit, constant queries per page, and who
may see it (staff everything; trainers the quizzes of courses they may edit, without contact data)."""

import datetime
import html
import io
import re
import uuid

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission, ModelLogEntry

from courses.demo.quizzes import _right_answers
from courses.learning.services import course_enrol
from courses.models import QuizAttempt, QuizResult
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests import demo_copy
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.courses.reports.test_reports import (
    as_read,
    as_text,
    csv_rows,
    read_time,
    report_volunteers,
    screen_rows,
)
from tests.factories import PASSWORD, make_course_tree, make_organization, make_user, make_volunteer
from training.spreadsheets import neutralise
from volunteers.countries import country_name
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

QUIZ_RESULTS = "/admin/reports/quiz-results/"
COMPLETIONS = "/admin/reports/completions/"
PROGRESS = "/admin/reports/progress/"


def attempt(profile, quiz, *, right: bool) -> QuizAttempt:
    started = quiz_attempt_start(volunteer=profile.user, quiz=quiz, token=uuid.uuid4())
    return quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions) if right else {})


def make_world() -> dict:
    """Two courses with a quiz each; four volunteers in Norway, Sweden and Denmark with attempts."""
    orientation, orientation_module, _lesson = make_course_tree(title="Orientation", slug="orientation")
    platform, platform_module, _lesson = make_course_tree(title="Platform", slug="platform")
    safety = add_quiz(orientation_module)
    safety.title = "Safety quiz"
    safety.save_revision().publish()
    tools = add_quiz(platform_module, slug="tools")
    tools.title = "Tools quiz"
    tools.save_revision().publish()
    people, oslo = report_volunteers(
        kanya={"email": "kanya.contact@example.org", "phone": "+47 111 22 333", "city": "Bergen"},
        somchai={"email": "somchai.contact@example.org", "phone": "+47 444 55 666"},
        malai={"email": "malai.contact@example.org", "phone": "+46 777 88 999"},
    )
    for profile in people.values():
        course_enrol(volunteer=profile.user, course=orientation)
    course_enrol(volunteer=people["malai"].user, course=platform)
    attempt(people["kanya"], safety, right=False)
    attempt(people["kanya"], safety, right=True)
    attempt(people["somchai"], safety, right=False)
    attempt(people["malai"], safety, right=True)
    attempt(people["malai"], tools, right=False)
    attempt(people["napa"], safety, right=True)
    return {
        "orientation": orientation,
        "platform": platform,
        "safety": safety,
        "tools": tools,
        "oslo": oslo,
        **people,
    }


world_rows, world = demo_copy.world_fixtures(make_world)


@pytest.fixture
def staff(client):
    user = make_user(group="Staff")
    client.login(email=user.email, password=PASSWORD)
    return user


def course_trainer(course):
    """A trainer who may edit `course` only, through a page permission on it (not a role name)."""
    group = Group.objects.create(name=f"Trainers of {course.title}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=course, permission=Permission.objects.get(codename=codename)
        )
    user = make_user()
    user.groups.add(group)
    return user


def rows_by_name(html: str) -> dict[tuple[str, str], list[str]]:
    return {(row[0], row[6]): row for row in screen_rows(html)}


def test_one_row_per_quiz_and_volunteer_with_the_grade_that_counts(world, client, staff):
    rows = rows_by_name(client.get(QUIZ_RESULTS).content.decode())
    assert set(rows) == {
        ("กัญญา ใจดี", "Safety quiz"),
        ("สมชาย รักไทย", "Safety quiz"),
        ("มาลัย สุขใจ", "Safety quiz"),
        ("มาลัย สุขใจ", "Tools quiz"),
        ("นภา ฟ้าใส", "Safety quiz"),
    }
    kanya = rows[("กัญญา ใจดี", "Safety quiz")]
    last = QuizAttempt.objects.filter(volunteer=world["kanya"].user).latest("number")
    with translation.override(settings.LANGUAGE_CODE):  # the admin speaks Thai by default
        norway, yes, no = country_name("NO"), gettext("Yes"), gettext("No")
    assert kanya[1:] == [
        "Kanya Jaidee",
        "",
        "Thai Association Oslo",
        norway,
        "Orientation",
        "Safety quiz",
        "100",
        "2",
        yes,
        read_time(last.finished_at),
    ]
    assert rows[("สมชาย รักไทย", "Safety quiz")][7:10] == ["0", "1", no]
    assert rows[("มาลัย สุขใจ", "Tools quiz")][5] == "Platform"


def test_filters_combine_course_quiz_country_organisation_and_passed(world, client, staff):
    def names(query):
        return {row[0] for row in screen_rows(client.get(QUIZ_RESULTS, query).content.decode())}

    assert names({"country": "NO"}) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    assert names({"country": "NO", "passed": "yes"}) == {"กัญญา ใจดี"}
    assert names({"passed": "no"}) == {"สมชาย รักไทย", "มาลัย สุขใจ"}
    assert names({"course": world["platform"].pk}) == {"มาลัย สุขใจ"}
    assert names({"quiz": world["safety"].pk, "passed": "no"}) == {"สมชาย รักไทย"}
    assert names({"organization": world["oslo"].pk, "quiz": world["tools"].pk}) == set()
    assert names({"country": "DK", "course": world["orientation"].pk}) == {"นภา ฟ้าใส"}


def test_the_csv_export_equals_the_screen_and_the_xlsx_holds_the_same_rows(world, client, staff):
    query = {"course": world["orientation"].pk}
    screen = [
        [html.unescape(cell) for cell in row]
        for row in screen_rows(client.get(QUIZ_RESULTS, query).content.decode())
    ]
    assert len(screen) == 4
    response = client.get(QUIZ_RESULTS, {**query, "export": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    exported = csv_rows(response)
    # The same cells, apart from the quote that neutralises a formula (Napa's Latin name), and times,
    # ISO for machines in the file and read by people on screen.
    assert as_read(exported[1:]) == [[neutralise(cell) for cell in row] for row in screen]
    assert any(cell.startswith("=") for row in screen for cell in row)
    assert len(exported[0]) == len(screen[0])
    assert re.search(r'filename="quiz-results-\d{4}-\d{2}-\d{2}-\d{4}\.csv"', response["Content-Disposition"])
    response = client.get(QUIZ_RESULTS, {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    # Typed cells: the score and the attempts are numbers, the last attempt a date, names text
    # without the CSV's apostrophe.
    assert all(isinstance(row[-4], (int, float)) and isinstance(row[-3], int) for row in rows[1:])
    assert all(isinstance(row[-1], datetime.datetime) for row in rows[1:] if row[-1] is not None)
    assert [[neutralise(as_text(cell)) for cell in row] for row in rows[1:]] == exported[1:]


def test_cells_that_start_a_formula_are_neutralised_in_csv_and_xlsx(world, client, staff):
    exported = csv_rows(client.get(QUIZ_RESULTS, {"country": "DK", "export": "csv"}))
    assert exported[1][1] == '\'=HYPERLINK("x")'
    response = client.get(QUIZ_RESULTS, {"country": "DK", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["B2"].value == '=HYPERLINK("x")'
    assert sheet["B2"].data_type == "s"


def test_each_export_is_audited_with_who_which_report_and_which_filters(world, client, staff):
    client.get(QUIZ_RESULTS, {"country": "NO", "passed": "yes", "export": "csv"})
    client.get(QUIZ_RESULTS, {"quiz": world["safety"].pk, "export": "xlsx"})
    entries = ModelLogEntry.objects.filter(action="courses.report_export").order_by("timestamp")
    assert [(entry.user_id, entry.data["report"], entry.data["format"]) for entry in entries] == [
        (staff.pk, "quiz_results", "csv"),
        (staff.pk, "quiz_results", "xlsx"),
    ]
    assert entries[0].data["filters"] == {"country": "NO", "passed": "yes"}
    assert entries[1].data["filters"] == {"quiz": world["safety"].pk}


def test_page_sizes_25_and_100_cost_the_same_number_of_queries(world, client):
    quiz = world["safety"]
    organisation = make_organization(name_en="Bulk org")
    QuizResult.objects.bulk_create(
        QuizResult(
            volunteer=make_volunteer(
                given_name_th=f"ชื่อ{number}", country="NO", organization=organisation
            ).user,
            quiz=quiz,
            grade=50 + number % 50,
            passed=number % 2 == 0,
        )
        for number in range(120)
    )
    for user in (make_user(group="Staff"), course_trainer(world["orientation"])):
        client.force_login(user)
        counts = []
        for size in (25, 100):
            client.get(QUIZ_RESULTS, {"per_page": size})
            with CaptureQueriesContext(connection) as captured:
                response = client.get(QUIZ_RESULTS, {"per_page": size})
            assert response.status_code == 200
            assert len(screen_rows(response.content.decode())) == size
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1], user


def test_a_trainer_sees_only_the_quizzes_of_courses_they_may_edit(world, client):
    client.force_login(course_trainer(world["platform"]))
    page = client.get(QUIZ_RESULTS).content.decode()
    assert [(row[0], row[6]) for row in screen_rows(page)] == [("มาลัย สุขใจ", "Tools quiz")]
    exported = csv_rows(client.get(QUIZ_RESULTS, {"export": "csv"}))
    assert [(row[0], row[6]) for row in exported[1:]] == [("มาลัย สุขใจ", "Tools quiz")]
    response = client.get(QUIZ_RESULTS, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Tools quiz"]
    # Asking for another course's quiz is a form error, never its rows.
    with translation.override(settings.LANGUAGE_CODE):
        invalid_choice = html.escape(str(forms.ModelChoiceField.default_error_messages["invalid_choice"]))
    for query in ({"quiz": world["safety"].pk}, {"course": world["orientation"].pk}):
        for extra in ({}, {"export": "csv"}):
            response = client.get(QUIZ_RESULTS, {**query, **extra})
            assert response.status_code == 200
            assert not isinstance(response, StreamingHttpResponse)
            page = response.content.decode()
            assert invalid_choice in page
            assert "กัญญา" not in page
            assert {row[6] for row in screen_rows(page)} <= {"Tools quiz"}


def test_trainers_of_the_whole_catalog_see_every_course_and_no_contact_data(world, client):
    trainer = make_user(group="Trainers")
    client.force_login(trainer)
    response = client.get(QUIZ_RESULTS)
    page = response.content.decode()
    assert len(screen_rows(page)) == 5
    # Names without a link to the staff record, which trainers may not open.
    assert "/admin/volunteers/people/inspect/" not in page
    exports = b"".join(client.get(QUIZ_RESULTS, {"export": "csv"}).streaming_content).decode()
    workbook = load_workbook(
        io.BytesIO(b"".join(client.get(QUIZ_RESULTS, {"export": "xlsx"}).streaming_content)), read_only=True
    )
    exports += repr(list(workbook.active.iter_rows(values_only=True)))
    assert "กัญญา" in page and "กัญญา" in exports
    for profile in (world["kanya"], world["somchai"], world["malai"]):
        for contact in (profile.user.email, profile.phone, "Bergen"):
            assert contact not in page, contact
            assert contact not in exports, contact


def test_trainers_keep_getting_403_on_completions_and_progress(world, client):
    client.force_login(course_trainer(world["orientation"]))
    for url in (COMPLETIONS, PROGRESS, f"{COMPLETIONS}?export=csv", f"{PROGRESS}?export=xlsx"):
        response = client.get(url)
        # The admin turns a refusal into a redirect to its home page with an explanation.
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url


def test_volunteers_visitors_and_trainers_without_courses_get_no_quiz_results(world, client):
    urls = [QUIZ_RESULTS, f"{QUIZ_RESULTS}?export=csv", f"{QUIZ_RESULTS}?export=xlsx"]
    volunteer = world["kanya"].user
    admin_without_courses = make_user()
    admin_without_courses.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for user in (None, volunteer, admin_without_courses):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in {302, 403}, (user, url)
            assert not isinstance(response, StreamingHttpResponse)
            assert "กัญญา" not in response.content.decode()
            if user is None:
                assert response["Location"].startswith("/admin/login/")
    assert not ModelLogEntry.objects.filter(action="courses.report_export").exists()


def test_the_reports_menu_shows_each_person_only_what_they_may_open(world, client):
    client.force_login(make_user(group="Staff"))
    page = client.get("/admin/").content.decode()
    assert all(url in page for url in (COMPLETIONS, PROGRESS, QUIZ_RESULTS))
    client.force_login(course_trainer(world["orientation"]))
    page = client.get("/admin/").content.decode()
    assert QUIZ_RESULTS in page
    assert COMPLETIONS not in page and PROGRESS not in page
    admin_without_courses = make_user()
    admin_without_courses.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(admin_without_courses)
    assert QUIZ_RESULTS not in client.get("/admin/").content.decode()


def test_the_progress_report_counts_the_quizzes_passed(world, client, staff):
    # Columns: ... course (6), run (7), enrolled (8), done (9), quizzes passed (10).
    rows = {(row[0], row[6]): row[10] for row in screen_rows(client.get(PROGRESS).content.decode())}
    assert rows[("กัญญา ใจดี", "Orientation")] == "1 / 1"
    assert rows[("สมชาย รักไทย", "Orientation")] == "0 / 1"
    assert rows[("มาลัย สุขใจ", "Platform")] == "0 / 1"


def record_url(profile) -> str:
    return f"/admin/volunteers/people/inspect/{profile.pk}/"


def test_the_staff_record_lists_every_quiz_attempt_in_a_bounded_number_of_queries(world, client, staff):
    malai, kanya = world["malai"], world["kanya"]
    page = client.get(record_url(malai)).content.decode()
    section = page.split('id="record-quiz_attempts"', 1)[1].split("</section>", 1)[0]
    rows = screen_rows(section)
    attempts = QuizAttempt.objects.filter(volunteer=malai.user).order_by("started_at")
    with translation.override(settings.LANGUAGE_CODE):
        yes, no = gettext("Yes"), gettext("No")
    assert rows == [
        ["Safety quiz", "Orientation", "1", "100", yes, read_time(attempts[0].finished_at)],
        ["Tools quiz", "Platform", "1", "0", no, read_time(attempts[1].finished_at)],
    ]
    counts = []
    for profile in (malai, kanya):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(record_url(profile)).status_code == 200
        counts.append(len(captured.captured_queries))
    for _number in range(4):
        attempt(kanya, world["safety"], right=False)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(record_url(kanya)).content.decode()
    assert len(captured.captured_queries) == counts[1]
    section = page.split('id="record-quiz_attempts"', 1)[1].split("</section>", 1)[0]
    assert [row[2] for row in screen_rows(section)] == ["1", "2", "3", "4", "5", "6"]


def test_the_demo_fills_the_quiz_results_for_staff_and_for_the_demo_trainer(demo, client):
    with translation.override(settings.LANGUAGE_CODE):
        yes, no = gettext("Yes"), gettext("No")
        countries = {country_name(code) for code in ("NO", "SE", "DK")}
    for email in ("staff@example.org", "trainer@example.org"):
        assert client.login(email=email, password=DEMO_PASSWORD)
        rows = screen_rows(client.get(QUIZ_RESULTS, {"per_page": 100}).content.decode())
        assert len(rows) >= 10, email
        assert {row[4] for row in rows} == countries, email
        assert len({row[3] for row in rows}) >= 3, email
        assert {row[9] for row in rows} == {yes, no}, email
        assert {row[8] for row in rows} >= {"1", "2"}, email
