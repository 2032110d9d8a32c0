"""Evaluation results in the admin: staff read every course's, a trainer only the courses they may
edit; small groups are hidden on the page and in the exports, which are audited."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, ModelLogEntry

from courses.evaluations.models import EvaluationAnswer
from courses.evaluations.services import evaluation_answer_record
from tests.courses.evaluations.helpers import CLARITY, IMPROVE, RELEVANCE, default_form, evaluated_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LAST_YEAR = datetime.date.today().year - 1


def seed_answers(course, plan):
    """plan: (month, country, count, text)"""
    for month, country, count, text in plan:
        for n in range(count):
            answers = {RELEVANCE: 1 + n % 5, CLARITY: 4}
            if text:
                answers[IMPROVE] = f"{text} {n}"
            evaluation_answer_record(
                course=course, form=default_form(), answers=answers, country=country, month=month
            )


@pytest.fixture
def courses():
    a, _lesson = evaluated_course("Course A")
    b, _lesson = evaluated_course("Course B")
    seed_answers(
        a,
        [
            (datetime.date(LAST_YEAR, 1, 1), "NO", 6, "Norway text"),
            (datetime.date(LAST_YEAR, 2, 1), "SE", 2, "Sweden secret"),
            (datetime.date(LAST_YEAR, 4, 1), "NO", 2, "Late secret"),
        ],
    )
    seed_answers(b, [(datetime.date(LAST_YEAR, 1, 1), "NO", 5, "Course B text")])
    return a, b


def trainer_of(course):
    group = Group.objects.create(name=f"Trainers of {course.pk}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=course, permission=Permission.objects.get(codename="change_page")
    )
    user = make_user()
    user.groups.add(group)
    return user


def test_staff_read_every_course_and_small_groups_are_hidden(client, courses):
    a, b = courses
    client.force_login(make_user(group="Staff"))
    html = client.get(f"/admin/evaluations/{a.pk}/").content.decode()
    assert "Norway text" in html
    assert "Sweden secret" not in html and "Late secret" not in html
    assert client.get(f"/admin/evaluations/{b.pk}/").status_code == 200
    index = client.get("/admin/evaluations/").content.decode()
    assert "Course A" in index and "Course B" in index


def test_a_trainer_reads_only_the_courses_they_may_edit(client, courses):
    a, b = courses
    client.force_login(trainer_of(a))
    assert client.get(f"/admin/evaluations/{a.pk}/").status_code == 200
    refused = client.get(f"/admin/evaluations/{b.pk}/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    refused_export = client.get(f"/admin/evaluations/{b.pk}/?export=csv")
    assert refused_export.status_code == 302
    index = client.get("/admin/evaluations/").content.decode()
    assert "Course A" in index and "Course B" not in index


def test_a_volunteer_cannot_open_the_results(client, courses):
    from tests.factories import make_volunteer

    a, _b = courses
    client.force_login(make_volunteer().user)
    assert client.get(f"/admin/evaluations/{a.pk}/").status_code == 302


def test_the_filter_of_a_small_country_is_hidden_and_shows_no_text(client, courses):
    a, _b = courses
    client.force_login(make_user(group="Staff"))
    response = client.get(f"/admin/evaluations/{a.pk}/", {"country": "SE"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sweden secret" not in html
    assert "ซ่อน" in html or "Hidden" in html


def test_the_year_and_its_first_quarter_differ_by_no_small_group(client, courses):
    a, _b = courses
    client.force_login(make_user(group="Staff"))
    year = client.get(
        f"/admin/evaluations/{a.pk}/", {"country": "NO", "period": str(LAST_YEAR), "export": "csv"}
    )
    quarter = client.get(
        f"/admin/evaluations/{a.pk}/", {"country": "NO", "period": f"{LAST_YEAR}-Q1", "export": "csv"}
    )
    year_rows = year.content.decode().splitlines()[3:]
    quarter_rows = quarter.content.decode().splitlines()[3:]
    assert year_rows == quarter_rows or sorted(year_rows) == sorted(quarter_rows)
    assert "Late secret" not in year.content.decode()


def test_bad_filters_and_formats_are_refused_with_a_clear_400(client, courses):
    a, _b = courses
    client.force_login(make_user(group="Staff"))
    assert client.get(f"/admin/evaluations/{a.pk}/", {"period": "1999-Q9"}).status_code == 400
    assert client.get(f"/admin/evaluations/{a.pk}/", {"country": "ZZ"}).status_code == 400
    assert client.get(f"/admin/evaluations/{a.pk}/", {"export": "pdf"}).status_code == 400
    assert client.get("/admin/evaluations/999999/").status_code == 404


def test_exports_hold_only_what_the_page_shows_and_are_audited(client, courses):
    a, _b = courses
    staff = make_user(group="Staff")
    client.force_login(staff)
    csv_text = client.get(f"/admin/evaluations/{a.pk}/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "Norway text" in csv_text and "Sweden secret" not in csv_text and "Late secret" not in csv_text
    xlsx = client.get(f"/admin/evaluations/{a.pk}/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    hidden = client.get(f"/admin/evaluations/{a.pk}/", {"country": "SE", "export": "csv"}).content.decode()
    assert "Sweden secret" not in hidden
    entries = ModelLogEntry.objects.filter(action="courses.evaluation_export", user=staff)
    assert entries.count() == 3
    assert entries.first().data["course_id"] == a.pk


def test_answers_of_the_current_quarter_wait_until_it_ends(client):
    course, _lesson = evaluated_course("Fresh course")
    today = datetime.date.today()
    seed_answers(course, [(today.replace(day=1), "NO", 9, "Fresh text")])
    client.force_login(make_user(group="Staff"))
    html = client.get(f"/admin/evaluations/{course.pk}/").content.decode()
    assert "Fresh text" not in html
    assert EvaluationAnswer.objects.filter(course=course).count() == 9


def test_a_written_answer_that_starts_like_a_formula_stays_text_in_both_exports(client):
    import io

    from openpyxl import load_workbook

    course, _lesson = evaluated_course("Formula course")
    formula = '=HYPERLINK("https://evil.example/","Open")'
    for _n in range(5):
        evaluation_answer_record(
            course=course,
            form=default_form(),
            answers={RELEVANCE: 3, IMPROVE: formula},
            country="NO",
            month=datetime.date(LAST_YEAR, 1, 1),
        )
    client.force_login(make_user(group="Staff"))
    csv_text = client.get(f"/admin/evaluations/{course.pk}/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "'" + formula.replace('"', '""') in csv_text
    assert "\n" + formula not in csv_text and "," + formula not in csv_text
    xlsx = client.get(f"/admin/evaluations/{course.pk}/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == formula]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_every_save_of_a_form_is_a_new_version():
    from courses.evaluations.services import evaluation_form_saved

    form = default_form()
    before = form.version
    evaluation_form_saved(form=form)
    assert form.version == before + 1


def test_a_form_with_answers_cannot_be_deleted_and_the_attempt_is_no_server_error(client):
    course, _lesson = evaluated_course("Kept course")
    seed_answers(course, [(datetime.date(LAST_YEAR, 1, 1), "NO", 1, "")])
    form = default_form()
    client.force_login(make_user(group="Staff"))
    response = client.post(f"/admin/snippets/courses/evaluationform/delete/{form.pk}/")
    assert response.status_code == 302
    assert type(form).objects.filter(pk=form.pk).exists()
    # One without answers that is not the default may go.
    spare = type(form).objects.create(
        name_th="สำรอง",
        name_en="Spare",
        questions=[{"type": "text", "value": {"question_th": "ก", "question_en": "a"}}],
    )
    client.post(f"/admin/snippets/courses/evaluationform/delete/{spare.pk}/")
    assert not type(form).objects.filter(pk=spare.pk).exists()
