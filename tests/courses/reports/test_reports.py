"""Staff reports: completions and progress with filters, exports that agree with the screen and
stream, formula neutralisation, constant queries per page, permissions and the audit of exports."""

import csv
import datetime
import io
import re
import tracemalloc
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.learning.services import course_completion_record, course_enrol, lesson_complete
from courses.models import CourseCompletion
from courses.reports import exports as reports
from tests import demo_copy
from tests.factories import PASSWORD, make_course_tree, make_organization, make_user, make_volunteer
from training.dates import format_datetime
from training.spreadsheets import neutralise
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")
COMPLETIONS = "/admin/reports/completions/"
PROGRESS = "/admin/reports/progress/"


def at(day: int, hour: int = 12) -> datetime.datetime:
    """A moment in November 2026, Bangkok time."""
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=BANGKOK)


def report_volunteers(**extra: dict) -> tuple[dict, object]:
    """The four volunteers reports are tried on, and the Oslo association two of them belong to:
    two in Norway, one in Sweden (Stockholm's club), one in Denmark with no organisation and a name
    a spreadsheet would run as a formula. `extra` adds fields by person."""
    oslo = make_organization(name_th="สมาคมไทยออสโล", name_en="Thai Association Oslo", country="NO")
    stockholm = make_organization(name_th="ชมรมไทยสตอกโฮล์ม", name_en="Thai Club Stockholm", country="SE")
    names = {
        "kanya": dict(
            given_name_th="กัญญา", family_name_th="ใจดี", given_name_en="Kanya", family_name_en="Jaidee",
            country="NO", organization=oslo,
        ),
        "somchai": dict(
            given_name_th="สมชาย", family_name_th="รักไทย", given_name_en="Somchai", family_name_en="Rakthai",
            country="NO", organization=oslo,
        ),
        "malai": dict(
            given_name_th="มาลัย", family_name_th="สุขใจ", given_name_en="Malai", family_name_en="Sukjai",
            country="SE", organization=stockholm,
        ),
        "napa": dict(
            given_name_th="นภา", family_name_th="ฟ้าใส", given_name_en="=HYPERLINK(\"x\")", family_name_en="",
            country="DK",
        ),
    }  # fmt: skip
    people = {key: make_volunteer(**fields, **extra.get(key, {})) for key, fields in names.items()}
    return people, oslo


def make_world() -> dict:
    """Two courses and four volunteers in Norway, Sweden and Denmark with dated completions."""
    orientation = make_course_tree(title="Orientation", slug="orientation")[0]
    platform, _module, platform_lesson = make_course_tree(title="Platform", slug="platform")
    people, oslo = report_volunteers()
    for profile in people.values():
        course_enrol(volunteer=profile.user, course=orientation)
    course_completion_record(volunteer=people["kanya"].user, course=orientation, completed_at=at(3))
    # 23:30 on 30 November in Bangkok is still November there, though already 16:30 UTC.
    course_completion_record(volunteer=people["somchai"].user, course=orientation, completed_at=at(30, 23))
    course_completion_record(volunteer=people["malai"].user, course=orientation, completed_at=at(10))
    # December in Bangkok: outside a November range.
    course_completion_record(
        volunteer=people["napa"].user,
        course=orientation,
        completed_at=datetime.datetime(2026, 12, 1, 0, 30, tzinfo=BANGKOK),
    )
    course_enrol(volunteer=people["malai"].user, course=platform)
    lesson_complete(volunteer=people["malai"].user, lesson=platform_lesson)
    return {"orientation": orientation, "platform": platform, "oslo": oslo, **people}


world_rows, world = demo_copy.world_fixtures(make_world)


@pytest.fixture
def staff(client):
    user = make_user(group="Staff")
    client.login(email=user.email, password=PASSWORD)
    return user


def screen_rows(html: str) -> list[list[str]]:
    """The table body's cells as text, as a person reads them."""
    if 'class="listing' not in html:
        return []
    listing = html.split('class="listing', 1)[1]
    body = listing.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return rows


def read_time(moment) -> str:
    """A moment as a report screen shows it to Thai staff: BE year, Bangkok time, zone named."""
    return format_datetime(moment, "th", short=True, zone=BANGKOK)


def as_read(rows: list[list[str]]) -> list[list[str]]:
    """Exported rows with their machine times ("2026-11-05 17:30", Bangkok) as the screen reads them."""
    return [
        [
            read_time(datetime.datetime.fromisoformat(cell).replace(tzinfo=BANGKOK))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", cell)
            else cell
            for cell in row
        ]
        for row in rows
    ]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def names(html: str) -> set[str]:
    return {row[0] for row in screen_rows(html)}


def test_filters_combine_course_country_organisation_status_and_bangkok_dates(world, client, staff):
    november = {"completed_at_from": "2026-11-01", "completed_at_to": "2026-11-30"}
    page = client.get(COMPLETIONS, {"country": "NO", **november}).content.decode()
    assert names(page) == {"กัญญา ใจดี", "สมชาย รักไทย"}
    page = client.get(COMPLETIONS, november).content.decode()
    assert names(page) == {"กัญญา ใจดี", "สมชาย รักไทย", "มาลัย สุขใจ"}
    page = client.get(COMPLETIONS, {"organization": world["oslo"].pk, "completed_at_to": "2026-11-10"})
    assert names(page.content.decode()) == {"กัญญา ใจดี"}
    page = client.get(COMPLETIONS, {"status": "registered"}).content.decode()
    assert names(page) == set()
    page = client.get(COMPLETIONS, {"course": world["platform"].pk, "country": "NO"}).content.decode()
    assert names(page) == set()
    page = client.get(COMPLETIONS, {"country": "DK"}).content.decode()
    assert names(page) == {"นภา ฟ้าใส"}


def test_the_completions_report_shows_the_certificate_serial_and_status(world, client, staff):
    query = {"country": "SE", "course": world["orientation"].pk}
    rows = screen_rows(client.get(COMPLETIONS, query).content.decode())
    assert len(rows) == 1
    with translation.override(settings.LANGUAGE_CODE):
        assert rows[0][-1] == str(Certificate.Status.VALID.label)
    assert re.match(r"^\S+$", rows[0][-2])
    assert rows[0][6] == "Orientation"


def test_the_progress_report_shows_percent_done_and_last_activity(world, client, staff):
    rows = screen_rows(client.get(PROGRESS, {"course": world["platform"].pk}).content.decode())
    assert len(rows) == 1
    assert rows[0][0] == "มาลัย สุขใจ"
    assert rows[0][7] == ""  # the run: this course has none
    assert rows[0][9] == "100"


def test_the_csv_export_equals_the_report_on_screen(world, client, staff):
    for url in (COMPLETIONS, PROGRESS):
        query = {"country": "NO"}
        screen = screen_rows(client.get(url, query).content.decode())
        response = client.get(url, {**query, "export": "csv"})
        assert isinstance(response, StreamingHttpResponse)
        exported = csv_rows(response)
        # The same cells; times are ISO for machines in the file and read by people on screen.
        assert as_read(exported[1:]) == screen
        assert len(exported[0]) == len(screen[0])


def as_text(value) -> str:
    """An XLSX cell as the CSV export writes it: moments as Bangkok wall time, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def test_the_xlsx_export_holds_the_same_rows_with_moments_as_dates(world, client, staff):
    screen = screen_rows(client.get(COMPLETIONS, {"country": "NO"}).content.decode())
    response = client.get(COMPLETIONS, {"country": "NO", "export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    # Enrolled and completed are dates a spreadsheet can sort and count with, not text.
    completed = [column.key for column in reports.report_columns("completions")].index("completed_at")
    assert rows[1:] and all(isinstance(row[completed], datetime.datetime) for row in rows[1:])
    assert as_read([[as_text(cell) for cell in row] for row in rows[1:]]) == screen
    assert re.search(
        r'filename="course-completions-\d{4}-\d{2}-\d{2}-\d{4}\.xlsx"', response["Content-Disposition"]
    )


def test_cells_that_start_a_formula_are_neutralised_in_csv_and_xlsx(world, client, staff):
    exported = csv_rows(client.get(COMPLETIONS, {"country": "DK", "export": "csv"}))
    assert exported[1][1] == '\'=HYPERLINK("x")'
    response = client.get(COMPLETIONS, {"country": "DK", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # XLSX stores the name as text (never a formula), so it needs no apostrophe.
    assert sheet["B2"].value == '=HYPERLINK("x")'
    assert sheet["B2"].data_type == "s"
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{prefix}1") == f"'{prefix}1"
    assert neutralise("กัญญา") == "กัญญา"


def test_each_export_is_audited_with_who_which_report_and_which_filters(world, client, staff):
    client.get(COMPLETIONS, {"country": "NO", "completed_at_from": "2026-11-01", "export": "csv"})
    client.get(PROGRESS, {"organization": world["oslo"].pk, "export": "xlsx"})
    entries = ModelLogEntry.objects.filter(action="courses.report_export").order_by("timestamp")
    assert [(entry.user_id, entry.data["report"], entry.data["format"]) for entry in entries] == [
        (staff.pk, "completions", "csv"),
        (staff.pk, "progress", "xlsx"),
    ]
    assert entries[0].data["filters"] == {"country": "NO", "completed_at": {"from": "2026-11-01", "to": ""}}
    assert entries[1].data["filters"] == {"organization": world["oslo"].pk}


def test_an_invalid_date_filter_is_a_clear_form_error_not_a_500(world, client, staff):
    response = client.get(COMPLETIONS, {"completed_at_from": "not-a-date", "export": "csv"})
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        message = str(forms.DateField.default_error_messages["invalid"])
    assert message in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="courses.report_export").exists()


def bulk_completions(count: int) -> None:
    """`count` volunteers in Norway, each with a completion of one course, inserted in bulk (one
    volunteer at a time through the factories took half a minute for 3,000)."""
    course = make_course_tree(title="Bulk course", slug="bulk")[0]
    organisation = make_organization(name_en="Bulk org")
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"bulk{number}@example.org", password="!", email_confirmed_at=now)
        for number in range(count)
    )
    VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            user=user,
            given_name_th=f"ชื่อ{number}",
            country="NO",
            organization=organisation,
            consent_version=1,
            consented_at=now,
        )
        for number, user in enumerate(users)
    )
    CourseCompletion.objects.bulk_create(
        CourseCompletion(volunteer=user, course=course, completed_at=now) for user in users
    )


def test_page_sizes_25_and_100_cost_the_same_number_of_queries(client, staff):
    bulk_completions(120)
    for url in (COMPLETIONS, PROGRESS):
        counts = []
        for size in (25, 100):
            client.get(url, {"per_page": size})
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, {"per_page": size})
            assert response.status_code == 200
            counts.append(len(captured.captured_queries))
        assert counts[0] == counts[1], url
    assert len(screen_rows(client.get(COMPLETIONS, {"per_page": 100}).content.decode())) == 100


def test_a_large_export_streams_in_chunks_with_flat_memory(client, staff):
    bulk_completions(3000)
    response = client.get(COMPLETIONS, {"export": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    chunks = iter(response.streaming_content)
    tracemalloc.start()
    try:
        lines = 0
        while lines < 300:  # the first lines (the heading and first row come alone, then pieces)
            lines += next(chunks).count(b"\n")
        assert lines < 1000  # pieces of 64 KB: the report is still mostly unread
        early, _peak = tracemalloc.get_traced_memory()
        for chunk in chunks:
            lines += chunk.count(b"\n")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert lines == 3001
    # The whole report would be hundreds of kilobytes of rows and model instances; reading it in
    # chunks keeps the peak within one chunk's worth of rows.
    assert peak - early < 3 * 1024 * 1024


def test_trainers_get_403_and_volunteers_and_visitors_no_data(world, client):
    urls = [COMPLETIONS, PROGRESS, f"{COMPLETIONS}?export=csv", f"{PROGRESS}?export=xlsx"]
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    for url in urls:
        response = client.get(url)
        # The admin turns a refusal into a redirect to its home page with an explanation.
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), url
    client.logout()
    volunteer = world["kanya"].user
    volunteer.set_password(PASSWORD)
    volunteer.save()
    for login in (False, True):
        if login:
            client.login(email=volunteer.email, password=PASSWORD)
        for url in urls:
            response = client.get(url)
            assert response.status_code in {302, 403}, url
            assert "กัญญา" not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="courses.report_export").exists()


def test_the_reports_menu_lists_the_reports_for_staff_only(world, client):
    staff = make_user(group="Staff")
    trainer = make_user(group="Trainers")
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert COMPLETIONS in page and PROGRESS in page
    client.force_login(trainer)
    page = client.get("/admin/").content.decode()
    assert COMPLETIONS not in page and PROGRESS not in page
