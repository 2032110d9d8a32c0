"""Staff find who in Norway completed the orientation course last month, export it, open a
volunteer's record from the report, verify their certificate and register them."""

import datetime
import io
import uuid
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from certificates.models import Certificate
from courses.demo.quizzes import _right_answers
from courses.learning.services import course_completion_record, course_enrol
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from courses.reports.dashboard import month_start
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import PASSWORD, make_course_tree, make_organization, make_user, make_volunteer
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.browser


def test_staff_find_last_months_completions_in_norway_export_verify_and_register(live_server, page):
    orientation, orientation_module, _lesson = make_course_tree(title="ปฐมนิเทศ", slug="orientation")
    quiz = add_quiz(orientation_module)
    orientation.required_for_registration = True
    orientation.save_revision().publish()
    other_course = make_course_tree(title="ทักษะการฟัง", slug="listening")[0]
    oslo = make_organization(name_th="สมาคมไทยในนอร์เวย์", country="NO")
    last_month = month_start() - datetime.timedelta(days=10)
    people = {}
    for key, country, course, when in [
        ("ประเสริฐ", "NO", orientation, last_month),
        ("อรุณ", "NO", orientation, month_start() + datetime.timedelta(minutes=1)),
        ("ละมัย", "SE", orientation, last_month),
        ("สุดา", "NO", other_course, last_month),
    ]:
        profile = make_volunteer(
            given_name_th=key,
            family_name_th="ทดสอบ",
            country=country,
            organization=oslo if country == "NO" else None,
        )
        course_enrol(volunteer=profile.user, course=course)
        course_completion_record(volunteer=profile.user, course=course, completed_at=when)
        people[key] = profile
    prasert = people["ประเสริฐ"]
    attempt = quiz_attempt_start(volunteer=prasert.user, quiz=quiz, token=uuid.uuid4())
    quiz_attempt_submit(attempt=attempt, answers=_right_answers(attempt.questions))
    certificate = Certificate.objects.get(volunteer=prasert.user)
    staff = make_user(group="Staff")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    # The report, from the Reports menu, filtered to Norway, the course and last month (Bangkok days).
    page.goto(live_server.url + "/admin/reports/completions/")
    with translation.override(settings.LANGUAGE_CODE):
        title = translation.gettext("Course completions")
        download_label = translation.gettext("Download %(format)s") % {"format": "XLSX"}
    expect(page.locator("h1")).to_contain_text(title)
    first = (month_start() - datetime.timedelta(days=1)).replace(day=1).date()
    last = (month_start() - datetime.timedelta(days=1)).date()
    query = {"course": orientation.pk, "country": "NO", "completed_at_from": first, "completed_at_to": last}
    page.goto(f"{live_server.url}/admin/reports/completions/?{urlencode(query)}")
    listing = page.locator("table.listing")
    expect(listing).to_contain_text("ประเสริฐ ทดสอบ")
    expect(listing).to_contain_text(certificate.serial)
    for absent in ("อรุณ", "ละมัย", "สุดา"):
        expect(listing).not_to_contain_text(absent)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=download_label).click()
    download = download_info.value
    assert download.suggested_filename.startswith("course-completions-")
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "ประเสริฐ ทดสอบ" and certificate.serial in rows[1]

    # The volunteer's record, from the report.
    listing.get_by_role("link", name="ประเสริฐ ทดสอบ").click()
    page.wait_for_url(f"**/admin/volunteers/people/inspect/{prasert.pk}/")
    expect(page.locator("main")).to_contain_text(certificate.serial)

    # The certificate, with the verify tool.
    page.goto(live_server.url + "/admin/certificates/issued/verify/")
    page.fill("input[name=code]", certificate.serial)
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(certificate.serial)
    expect(page.locator("main")).to_contain_text("ประเสริฐ")

    # Back to the record, and register: the required course is done, so no reason is asked for.
    page.go_back()
    page.go_back()
    page.goto(live_server.url + f"/admin/volunteers/people/inspect/{prasert.pk}/")
    page.locator(
        f"a[href*='/admin/bulk/volunteers/volunteerprofile/register/?id={prasert.pk}']"
    ).first.click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/admin/volunteers/people/inspect/{prasert.pk}/")
    prasert.refresh_from_db()
    assert prasert.status == VolunteerProfile.Status.REGISTERED
    expect(page.locator("main")).to_contain_text(prasert.volunteer_number)

    # The quiz results, from the Reports menu: the quiz they passed, with the score that counts.
    page.goto(live_server.url + "/admin/")
    with translation.override(settings.LANGUAGE_CODE):
        reports_menu = translation.gettext("Reports")
    page.get_by_role("button", name=reports_menu).click()
    page.locator("a[href='/admin/reports/quiz-results/']").click()
    page.wait_for_url("**/admin/reports/quiz-results/")
    page.goto(f"{live_server.url}/admin/reports/quiz-results/?{urlencode({'country': 'NO'})}")
    row = page.locator("table.listing tbody tr", has_text="ประเสริฐ ทดสอบ")
    expect(row).to_contain_text(quiz.title)
    expect(row).to_contain_text("100")
