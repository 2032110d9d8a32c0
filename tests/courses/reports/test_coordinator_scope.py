"""Country coordinators in the staff reports (issue 22): a coordinator for Norway sees no Swedish
volunteer in any report listing, export, chart or dashboard panel; their charts still equal their
reports; their filters offer only Norway; a coordinator with no countries sees nobody."""

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from courses.reports import charts
from tests.courses.reports import test_charts
from tests.courses.reports.test_charts import (
    BANGKOK,
    CHARTS,
    COMPLETIONS,
    PROGRESS,
    QUIZ_RESULTS,
    chart_tables,
    export_count,
    month_bounds,
    page_tables,
)
from tests.courses.reports.test_reports import bulk_completions, csv_rows, screen_rows
from tests.factories import english_admin, make_coordinator, make_user
from volunteers.countries import country_name

pytestmark = pytest.mark.django_db

# The charts' world: Kanya, Somchai and Arun in Norway; Malai and Napa in Sweden.
world_rows = test_charts.world_rows
world = test_charts.world
NORWEGIANS = {"กัญญา", "สมชาย", "อรุณ"}
SWEDES = {"มาลัย", "นภา"}
REPORTS = (COMPLETIONS, PROGRESS, QUIZ_RESULTS)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(english_admin(user))
    return client


@pytest.fixture
def norway():
    """A test client signed in as a coordinator for Norway."""
    return signed_in(make_coordinator(countries=("NO",)))


@pytest.fixture
def staff_client():
    return signed_in(make_user(group="Staff"))


def people_in(rows) -> set[str]:
    """The world's volunteers (by Thai given name) named anywhere in `rows`."""
    text = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    return {name for name in NORWEGIANS | SWEDES if name in text}


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def country_options(html: str) -> list[str]:
    select = re.search(r'<select name="country".*?</select>', html, flags=re.S).group(0)
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


@pytest.mark.parametrize(
    "url, expected",
    [
        (COMPLETIONS, NORWEGIANS),
        (PROGRESS, NORWEGIANS),
        (QUIZ_RESULTS, {"กัญญา", "สมชาย"}),
    ],
)
def test_a_norway_coordinator_sees_only_norwegians_on_screen_and_in_both_exports(
    world, norway, url, expected
):
    assert people_in(screen_rows(norway.get(url).content.decode())) == expected
    assert people_in(csv_rows(norway.get(url, {"export": "csv"}))) == expected
    assert people_in(xlsx_rows(norway.get(url, {"export": "xlsx"}))) == expected


@pytest.mark.parametrize("url", REPORTS)
def test_staff_still_see_every_country_in_the_reports(world, staff_client, url):
    assert people_in(csv_rows(staff_client.get(url, {"export": "csv"}))) & SWEDES


@pytest.mark.parametrize("url", REPORTS)
def test_the_coordinators_country_filter_offers_only_their_countries_and_refuses_another(world, norway, url):
    assert country_options(norway.get(url).content.decode()) == ["NO"]
    asked = norway.get(url, {"country": "SE"})
    assert not people_in(screen_rows(asked.content.decode())) & SWEDES
    # An export asked for Sweden is refused as an invalid filter: the form again, with no Swede.
    exported = norway.get(url, {"country": "SE", "export": "csv"})
    assert not exported.streaming and "Select a valid choice" in exported.content.decode()
    assert not people_in(screen_rows(exported.content.decode())) & SWEDES


@pytest.mark.parametrize("url", REPORTS)
def test_the_organisation_filter_offers_only_the_coordinators_countries_organisations(world, norway, url):
    page = norway.get(url).content.decode()
    select = re.search(r'<select name="organization".*?</select>', page, flags=re.S).group(0)
    assert "สมาคมไทยออสโล" in select and "มูลนิธิไทยสตอกโฮล์ม" not in select


def test_a_coordinator_for_two_countries_sees_both(world):
    both = signed_in(make_coordinator(countries=("NO", "SE")))
    assert people_in(csv_rows(both.get(COMPLETIONS, {"export": "csv"}))) == NORWEGIANS | {"มาลัย"}
    assert country_options(both.get(COMPLETIONS).content.decode()) == sorted(
        ["NO", "SE"], key=lambda code: country_name(code, "en")
    )


@pytest.mark.parametrize("url", REPORTS)
def test_a_coordinator_with_no_countries_sees_nobody(world, url):
    nobody = signed_in(make_coordinator(countries=()))
    assert screen_rows(nobody.get(url).content.decode()) == []
    assert csv_rows(nobody.get(url, {"export": "csv"}))[1:] == []
    assert xlsx_rows(nobody.get(url, {"export": "xlsx"}))[1:] == []
    assert country_options(nobody.get(url).content.decode()) == []


def test_a_coordinators_charts_are_the_staffs_charts_for_their_country(world, norway, staff_client):
    mine = page_tables(norway)
    assert mine == page_tables(staff_client, country="NO")
    assert mine != page_tables(staff_client)
    with translation.override("en"):
        assert [row[0] for row in mine["funnel"]] == [country_name("NO", "en")]


def test_a_coordinators_completions_per_month_equal_their_completions_report(world, norway):
    table = page_tables(norway)["completions"]
    months = charts.month_window(charts.ChartFilters())
    for row, month in zip(table, months, strict=True):
        assert int(row[1]) == export_count(norway, COMPLETIONS, **month_bounds(month)), row
    today = timezone.now().astimezone(BANGKOK).date()
    total = export_count(
        norway, COMPLETIONS, completed_at_from=months[0].isoformat(), completed_at_to=today.isoformat()
    )
    assert sum(int(row[1]) for row in table) == total == 2  # Kanya's and Somchai's; Arun's is older


def test_a_coordinators_rates_equal_their_progress_and_quiz_results_reports(world, norway):
    tables = page_tables(norway)
    rates = {row[0]: row[1:3] for row in tables["completion-rates"]}
    for course in (world["orientation"], world["platform"]):
        completed = test_charts.column(norway, PROGRESS, "Completed", course=course.pk)
        assert rates[course.title] == [str(sum(1 for cell in completed if cell)), str(len(completed))]
    passes = [row[1:3] for row in tables["pass-rates"]]
    passed = test_charts.column(norway, QUIZ_RESULTS, "Passed", quiz=world["safety"].pk)
    with translation.override("th"):
        yes = {"Yes", translation.gettext("Yes")}
    assert passes == [[str(sum(cell in yes for cell in passed)), str(len(passed))]]  # no Swede took "tools"
    # Norway's organisations only: Oslo's certified association and Bergen's club.
    assert [row[1] for row in tables["certification"]] == ["1", "0", "1"]


def test_a_coordinator_asking_the_charts_for_another_country_gets_a_form_error_and_no_numbers(world, norway):
    response = norway.get(CHARTS, {"country": "SE"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="report-chart"' not in page and "Select a valid choice" in page and "มาลัย" not in page


def test_a_coordinator_with_no_countries_sees_empty_charts(world):
    nobody = signed_in(make_coordinator(countries=()))
    tables = page_tables(nobody)
    assert sum(int(row[1]) for row in tables["completions"]) == 0
    assert tables["funnel"] == [] and tables["completion-rates"] == [] and tables["pass-rates"] == []
    assert tables["certification"] == []  # no organisation counted: "no data yet"


def dashboard_figures(html: str) -> str:
    return html.split('aria-labelledby="volunteer-figures-heading"', 1)[1].split("</section>", 1)[0]


def test_the_dashboard_shows_a_coordinator_their_countries_figures_and_charts(world, norway, staff_client):
    page = norway.get("/admin/").content.decode()
    figures = dashboard_figures(page)
    assert "1 registered volunteer" in figures  # Kanya; Napa is registered in Sweden
    with translation.override("en"):
        assert country_name("NO", "en") in figures and country_name("SE", "en") not in figures
    tables = chart_tables(page)
    assert tables["funnel"] == page_tables(staff_client, country="NO")["funnel"]
    assert tables["completions"] == page_tables(staff_client, country="NO")["completions"]
    # Ready to register: Somchai and Arun completed the required course; Malai did too, in Sweden.
    assert {"สมชาย", "อรุณ"} <= people_in([[page]]) and not SWEDES & people_in([[page]])
    staff_page = staff_client.get("/admin/").content.decode()
    assert "มาลัย" in staff_page and "2 registered volunteers" in dashboard_figures(staff_page)


def test_the_dashboard_shows_a_coordinator_with_no_countries_nothing(world):
    page = signed_in(make_coordinator(countries=())).get("/admin/").content.decode()
    assert "0 registered volunteers" in dashboard_figures(page)
    assert not people_in([[page]])


def test_a_coordinators_report_page_costs_one_query_more_than_staffs_for_their_countries(staff_client):
    bulk_completions(30)
    counts = {}
    for name, client in (("staff", staff_client), ("coordinator", signed_in(make_coordinator()))):
        client.get(COMPLETIONS)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(COMPLETIONS).status_code == 200
        counts[name] = len(captured.captured_queries)
    assert counts["coordinator"] <= counts["staff"] + 1, counts


def test_a_coordinators_charts_page_asks_at_most_one_query_more_than_staffs(client, staff_client):
    test_charts._world_of(2)
    staff_queries = test_charts._charts_queries(staff_client)
    coordinator = signed_in(make_coordinator())
    # One more: the coordinator's countries, read once per request (volunteers/coordinators.py).
    assert test_charts._charts_queries(coordinator) <= staff_queries + 1
    test_charts._world_of(4)
    assert test_charts._charts_queries(coordinator) <= staff_queries + 1
