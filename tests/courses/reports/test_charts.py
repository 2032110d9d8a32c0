"""The staff charts: each chart's numbers equal what its report or listing exports for the same
filter, a country filter keeps to that country, months in Thai with Buddhist Era years, SVG that
parses with a title and a description, "no data yet" on an empty database, constant queries, and
the report permission."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from courses.demo.quizzes import _right_answers
from courses.learning.services import course_completion_record, course_enrol
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from courses.reports import charts
from courses.reports.dashboard import month_start
from tests import demo_copy
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.courses.reports.test_reports import csv_rows
from tests.factories import english_admin, make_course_tree, make_organization, make_user, make_volunteer
from training.dates import format_month
from volunteers.services import volunteer_register

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")
CHARTS = "/admin/reports/charts/"
COMPLETIONS = "/admin/reports/completions/"
PROGRESS = "/admin/reports/progress/"
QUIZ_RESULTS = "/admin/reports/quiz-results/"
REGISTER = "/admin/volunteers/people/"
ORGANISATIONS = "/admin/volunteers/organisations/"
SVG = "{http://www.w3.org/2000/svg}"


def months_ago(count: int, day: int = 10) -> datetime.datetime:
    """Noon on `day` of the month `count` months before this one, Bangkok time."""
    month = charts._add_months(month_start().date(), -count)
    return datetime.datetime(month.year, month.month, day, 12, 0, tzinfo=BANGKOK)


def attempt(profile, quiz, *, right: bool) -> None:
    started = quiz_attempt_start(volunteer=profile.user, quiz=quiz, token=uuid.uuid4())
    quiz_attempt_submit(attempt=started, answers=_right_answers(started.questions) if right else {})


def complete(profile, course, when) -> None:
    course_enrol(volunteer=profile.user, course=course)
    course_completion_record(volunteer=profile.user, course=course, completed_at=when)


def make_world() -> dict:
    """Two courses (orientation required for registration) with a quiz each; volunteers in Norway
    and Sweden with completions over several months, quiz results, two registered; organisations
    in three certification states, one of them not yet confirmed by staff."""
    orientation, orientation_module, _lesson = make_course_tree(title="ปฐมนิเทศ", slug="orientation")
    orientation.required_for_registration = True
    orientation.save_revision().publish()
    safety = add_quiz(orientation_module)
    platform, platform_module, _lesson = make_course_tree(title="Platform", slug="platform")
    tools = add_quiz(platform_module, slug="tools")
    oslo = make_organization(
        name_th="สมาคมไทยออสโล",
        country="NO",
        certification_status="certified",
        certification_number="กท 1/2569",
    )
    stockholm = make_organization(name_th="มูลนิธิไทยสตอกโฮล์ม", country="SE", certification_status="applied")
    make_organization(name_th="ชมรมไทยเบอร์เกน", country="NO")
    make_organization(name_th="กลุ่มที่ยังไม่ยืนยัน", country="NO", is_confirmed=False)
    people = {
        "kanya": make_volunteer(given_name_th="กัญญา", country="NO", organization=oslo),
        "somchai": make_volunteer(given_name_th="สมชาย", country="NO", organization=oslo),
        "arun": make_volunteer(given_name_th="อรุณ", country="NO"),
        "malai": make_volunteer(given_name_th="มาลัย", country="SE", organization=stockholm),
        "napa": make_volunteer(given_name_th="นภา", country="SE"),
    }
    for profile in people.values():
        course_enrol(volunteer=profile.user, course=orientation)
    complete(people["kanya"], orientation, months_ago(0, day=1))
    complete(people["somchai"], orientation, months_ago(2))
    complete(people["malai"], orientation, months_ago(2, day=20))
    # Thirteen months back: outside the last twelve.
    complete(people["arun"], orientation, months_ago(13))
    complete(people["malai"], platform, months_ago(1))
    course_enrol(volunteer=people["kanya"].user, course=platform)
    staff = make_user(group="Staff")
    volunteer_register(profile=people["kanya"], actor=staff)
    volunteer_register(profile=people["napa"], actor=staff, override_reason="ทดลองลงทะเบียน")
    attempt(people["kanya"], safety, right=True)
    attempt(people["somchai"], safety, right=False)
    attempt(people["malai"], safety, right=True)
    attempt(people["napa"], safety, right=False)
    attempt(people["malai"], tools, right=False)
    return {"orientation": orientation, "platform": platform, "safety": safety, "tools": tools, **people}


world_rows, world = demo_copy.world_fixtures(make_world)


@pytest.fixture
def staff(client):
    user = english_admin(make_user(group="Staff"))
    client.force_login(user)
    return user


def chart_tables(html: str) -> dict[str, list[list[str]]]:
    """Each chart's table of numbers on the page, by chart key: the row's label, then its cells."""
    tables = {}
    for key, section in re.findall(
        r'<section class="report-chart" aria-labelledby="(?:charts|dashboard)-([\w-]+)-heading">'
        r"(.*?)</section>",
        html,
        flags=re.S,
    ):
        body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in section else ""
        tables[key] = [
            [
                re.sub(r"<[^>]+>|\s+", " ", cell).strip()
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        ]
    return tables


def page_tables(client, **query) -> dict[str, list[list[str]]]:
    response = client.get(CHARTS, query)
    assert response.status_code == 200
    return chart_tables(response.content.decode())


def export_count(client, url: str, **query) -> int:
    """How many rows a report's or listing's CSV export holds for the query."""
    rows = csv_rows(client.get(url, {**query, "export": "csv"}))
    return len(rows) - 1


def column(client, url: str, heading: str, **query) -> list[str]:
    rows = csv_rows(client.get(url, {**query, "export": "csv"}))
    with translation.override("th"):
        # The export's headings follow the default language, whatever the admin's.
        thai = translation.gettext(heading)
    index = next(number for number, name in enumerate(rows[0]) if name in (heading, thai))
    return [row[index] for row in rows[1:]]


def month_bounds(first: datetime.date) -> dict[str, str]:
    last = charts._add_months(first, 1) - datetime.timedelta(days=1)
    return {"completed_at_from": first.isoformat(), "completed_at_to": last.isoformat()}


@pytest.mark.parametrize("query", [{}, {"country": "NO"}, {"country": "SE", "course": "orientation"}])
def test_completions_per_month_equal_the_completions_report_month_by_month(world, client, staff, query):
    if "course" in query:
        query = {**query, "course": world["orientation"].pk}
    with translation.override("en"):
        table = page_tables(client, **query)["completions"]
        months = charts.month_window(charts.ChartFilters())
        assert [row[0] for row in table] == [format_month(month, "en", short=True) for month in months]
    for row, month in zip(table, months, strict=True):
        assert int(row[1]) == export_count(client, COMPLETIONS, **query, **month_bounds(month)), row
    # The months shown hold everything the report lists for the last twelve months, and nothing older.
    today = timezone.now().astimezone(BANGKOK).date()
    total = export_count(
        client,
        COMPLETIONS,
        **query,
        completed_at_from=months[0].isoformat(),
        completed_at_to=today.isoformat(),
    )
    assert sum(int(row[1]) for row in table) == total


def test_a_completion_just_after_midnight_in_bangkok_counts_in_bangkoks_month(client, staff):
    course = make_course_tree(title="Orientation")[0]
    first = month_start()  # 00:00 on the 1st in Bangkok, still the day before in UTC
    complete(make_volunteer(country="NO"), course, first + datetime.timedelta(minutes=30))
    complete(make_volunteer(country="NO"), course, first - datetime.timedelta(minutes=30))
    table = page_tables(client)["completions"]
    assert [int(row[1]) for row in table[-2:]] == [1, 1]


def test_the_funnel_equals_the_register_and_the_completions_report(world, client, staff):
    table = {row[0]: [int(cell) for cell in row[1:]] for row in page_tables(client)["funnel"]}
    with translation.override("en"):
        from volunteers.countries import country_name

        norway, sweden = country_name("NO", "en"), country_name("SE", "en")
    assert list(table) == [norway, sweden]  # most applicants first
    for country, name in (("NO", norway), ("SE", sweden)):
        applied = export_count(client, REGISTER, country=country)
        registered = export_count(client, REGISTER, country=country, status="registered")
        # Trained: everyone who completed the one required course, as the completions report lists.
        trained = len(
            set(column(client, COMPLETIONS, "Name (Thai)", country=country, course=world["orientation"].pk))
        )
        assert table[name] == [applied, trained, registered]
    assert table[norway] == [3, 3, 1] and table[sweden] == [2, 1, 1]


def test_the_funnel_is_a_list_of_stages_a_later_stage_slots_into(world, client, staff, monkeypatch):
    endorsed = charts.FunnelStage(
        "endorsed", "Endorsed", lambda profiles: (profiles, charts.Q(organization__isnull=False))
    )
    monkeypatch.setattr(
        charts, "FUNNEL_STAGES", [*charts.FUNNEL_STAGES[:1], endorsed, *charts.FUNNEL_STAGES[1:]]
    )
    with translation.override("en"):
        chart = charts.volunteer_funnel(charts.ChartFilters(country="NO"))
    assert chart.series == ["Applicants", "Endorsed", "Trained", "Registered"]
    assert [bar.value for bar in chart.rows[0].bars] == [3, 2, 3, 1]


def test_completion_rates_equal_the_progress_report(world, client, staff):
    for query in ({}, {"country": "NO"}, {"country": "SE"}):
        table = {row[0]: row[1:] for row in page_tables(client, **query)["completion-rates"]}
        for course in (world["orientation"], world["platform"]):
            completed = column(client, PROGRESS, "Completed", course=course.pk, **query)
            if not completed:
                assert course.title not in table
                continue
            done = sum(1 for cell in completed if cell)
            share = round(100 * done / len(completed))
            assert table[course.title] == [str(done), str(len(completed)), f"{share}%"], query
    assert page_tables(client)["completion-rates"][1][1:] == ["4", "5", "80%"]


def test_quiz_pass_rates_equal_the_quiz_results_report(world, client, staff):
    for query in ({}, {"country": "NO"}, {"country": "SE"}):
        table = page_tables(client, **query)["pass-rates"]
        by_quiz = {}
        for quiz in (world["safety"], world["tools"]):
            passed = column(client, QUIZ_RESULTS, "Passed", quiz=quiz.pk, **query)
            if passed:
                with translation.override("th"):
                    yes = {"Yes", translation.gettext("Yes")}
                by_quiz[quiz.pk] = [str(sum(cell in yes for cell in passed)), str(len(passed))]
        assert [row[1:3] for row in table] == list(by_quiz.values()), query
    assert page_tables(client)["pass-rates"][0][1:] == ["2", "4", "50%"]


def test_organisations_by_certification_equal_the_organisations_listing(world, client, staff):
    for query in ({}, {"country": "NO"}, {"country": "SE"}):
        table = page_tables(client, **query)["certification"]
        listed = [
            export_count(client, ORGANISATIONS, certification_status=state, is_confirmed="true", **query)
            for state in ("not_applied", "applied", "certified")
        ]
        assert [int(row[1]) for row in table] == listed, query
    assert [row[1] for row in page_tables(client, country="NO")["certification"]] == ["1", "0", "1"]


def test_a_country_filter_shows_only_that_countrys_numbers(world, client, staff):
    page = client.get(CHARTS, {"country": "SE"}).content.decode()
    tables = chart_tables(page)
    with translation.override("en"):
        from volunteers.countries import country_name

        assert [row[0] for row in tables["funnel"]] == [country_name("SE", "en")]
    assert sum(int(row[1]) for row in tables["completions"]) == 2  # Malai's two
    assert "กัญญา" not in page and "สมชาย" not in page


def test_charts_read_in_thai_with_buddhist_era_months_and_in_english(world, client):
    staff = make_user(group="Staff")
    client.force_login(staff)
    this_month = month_start().date()
    thai = client.get(CHARTS).content.decode()
    be_year = this_month.year + 543
    assert f"{format_month(this_month, 'th', short=True)}" in thai and str(be_year) in thai
    assert "ยอดผู้สำเร็จหลักสูตรรายเดือน" in thai and "แสดงตัวเลข" in thai
    english_admin(staff)
    english = client.get(CHARTS).content.decode()
    assert format_month(this_month, "en", short=True) in english
    assert "Course completions per month" in english and "Show the numbers" in english
    assert str(be_year) not in english


def svgs(html: str) -> list:
    return [
        ElementTree.fromstring(svg)
        for svg in re.findall(r'<svg[^>]*class="report-chart__svg".*?</svg>', html, flags=re.S)
    ]


def test_every_chart_is_well_formed_svg_with_a_title_and_a_description(world, client, staff):
    html = client.get(CHARTS).content.decode()
    drawings = svgs(html)
    assert len(drawings) == 5
    for svg in drawings:
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert svg.get("width") == "100%" and svg.get("viewBox").startswith("0 0 360 ")
        assert not any(element.get("style") for element in svg.iter())
    sections = re.findall(r'<section class="report-chart".*?</section>', html, flags=re.S)
    assert len(sections) == 5 and not any("<script" in section or "style=" in section for section in sections)


def test_a_label_with_markup_is_escaped_in_the_svg(world, client, staff):
    world["platform"].title = '<script>alert("x")</script> & co'
    world["platform"].save_revision().publish()
    html = client.get(CHARTS).content.decode()
    assert '<script>alert("x")' not in html
    for svg in svgs(html):
        assert svg is not None  # still parses


def test_an_empty_database_shows_no_data_yet_and_no_error(client, staff):
    response = client.get(CHARTS)
    assert response.status_code == 200
    page = response.content.decode()
    # The months and the certification states are always there, at zero; the others have no rows.
    assert page.count("No data yet.") == 5
    assert "<svg" not in page.split('class="nice-padding"', 1)[1]
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"period_from": "2569-01-01"},
        {"period_from": "not-a-date"},
        {"run": "abc"},
        {"course": "999999"},
        {"country": "XX"},
        {"period_from": "2026-12-01", "period_to": "2026-01-01"},
    ],
)
def test_a_bad_filter_is_explained_never_a_500(world, client, staff, query):
    response = client.get(CHARTS, query)
    assert response.status_code == 200
    page = response.content.decode()
    if "period_to" in query:
        assert chart_tables(page)["completions"] == []  # an empty period, no months
    else:
        assert "error-message" in page and "<svg" not in page.split('class="nice-padding"', 1)[1]


def test_a_period_shows_its_months_and_the_rates_of_who_enrolled_in_it(world, client, staff):
    first = charts._add_months(month_start().date(), -2)
    last = charts._add_months(first, 1) - datetime.timedelta(days=1)
    query = {"period_from": first.isoformat(), "period_to": last.isoformat()}
    tables = page_tables(client, **query)
    assert [int(row[1]) for row in tables["completions"]] == [2]
    assert int(tables["completions"][0][1]) == export_count(client, COMPLETIONS, **month_bounds(first))
    enrolled = export_count(
        client, PROGRESS, enrolled_at_from=first.isoformat(), enrolled_at_to=last.isoformat()
    )
    assert enrolled == 0 and tables["completion-rates"] == []


def test_the_months_window_is_the_last_twelve_or_the_periods_at_most_two_years():
    today = datetime.date(2026, 12, 3)
    months = charts.month_window(charts.ChartFilters(), today)
    assert (
        months[0] == datetime.date(2026, 1, 1)
        and months[-1] == datetime.date(2026, 12, 1)
        and len(months) == 12
    )
    long = charts.month_window(charts.ChartFilters(start=datetime.date(2020, 1, 1)), today)
    assert len(long) == 24 and long[-1] == datetime.date(2026, 12, 1)
    with translation.override("th"):
        assert format_month(datetime.date(2026, 12, 1), short=True) == "ธ.ค. 2569"
    assert format_month(datetime.date(2026, 12, 1), "en") == "December 2026"


def _world_of(courses: int) -> None:
    for number in range(courses):
        course, module, _lesson = make_course_tree(title=f"Course {number}")
        quiz = add_quiz(module)
        for country in ("NO", "SE"):
            profile = make_volunteer(country=country)
            complete(profile, course, months_ago(number % 12))
            attempt(profile, quiz, right=number % 2 == 0)


def _charts_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHARTS).status_code == 200
    return len(queries)


def test_the_charts_page_asks_the_same_number_of_queries_however_many_courses(
    client, staff, django_assert_max_num_queries
):
    _world_of(2)
    few = _charts_queries(client)
    _world_of(4)
    assert _charts_queries(client) == few
    with django_assert_max_num_queries(22):
        client.get(CHARTS)


def test_the_dashboard_shows_completions_per_month_and_the_funnel_to_staff(world, client, staff):
    page = client.get("/admin/").content.decode()
    tables = chart_tables(page)
    assert set(tables) == {"completions", "funnel"}
    assert tables["funnel"] == chart_tables(client.get(CHARTS).content.decode())["funnel"]
    assert 'href="/admin/reports/charts/"' in page


def test_only_those_with_the_report_permission_see_the_charts(world, client):
    trainer = make_user(group="Trainers")
    client.force_login(trainer)
    response = client.get(CHARTS)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "report-chart" not in client.get("/admin/", follow=True).content.decode()
    assert "/admin/reports/charts/" not in client.get("/admin/").content.decode()
    client.force_login(world["kanya"].user)
    assert client.get(CHARTS)["Location"].startswith("/admin/login/")
    client.logout()
    assert client.get(CHARTS)["Location"].startswith("/admin/login/")


def test_the_period_filters_date_pickers_have_their_script_before_they_are_set_up(world, client, staff):
    """Wagtail's date widget calls initDateChooser as the page is read; without the form's media
    in the page's head, the browser stopped on "initDateChooser is not defined"."""
    page = client.get(CHARTS).content.decode()
    assert "initDateChooser(" in page
    assert page.index("wagtailadmin/js/date-time-chooser") < page.index("initDateChooser(")
