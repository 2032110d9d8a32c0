"""Dates on our admin screens (certificate and volunteer records, listings, reports) read in Bangkok
time with BE years in Thai and CE in English, the zone named; date inputs refuse a BE year rather
than read 2569 as a Christian Era year."""

import datetime
import html

import pytest

from certificates.models import Certificate
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, Enrollment
from tests.factories import PASSWORD, english_admin, make_course_tree, make_user, make_volunteer
from volunteers.models import Organization, VolunteerProfile

pytestmark = pytest.mark.django_db

# 20:30 UTC on New Year's Eve 2026 is 03:30 on 1 January 2027 (BE 2570) in Bangkok.
NEW_YEAR_EVE = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=datetime.UTC)
BE_REFUSED = "ดูเหมือนเป็นปีพุทธศักราช"


@pytest.fixture
def staff(client):
    user = make_user(group="Staff")
    client.login(email=user.email, password=PASSWORD)
    return user


@pytest.fixture
def certified():
    """A volunteer in Norway who completed a course, and its certificate, all on New Year's Eve UTC."""
    course, _module, lesson = make_course_tree(title="Orientation")
    profile = make_volunteer(given_name_th="กัญญา", family_name_th="ใจดี", country="NO")
    course_enrol(volunteer=profile.user, course=course)
    lesson_complete(volunteer=profile.user, lesson=lesson)
    CourseCompletion.objects.filter(volunteer=profile.user).update(completed_at=NEW_YEAR_EVE)
    Enrollment.objects.filter(volunteer=profile.user).update(enrolled_at=NEW_YEAR_EVE)
    Certificate.objects.filter(volunteer=profile.user).update(issued_at=NEW_YEAR_EVE)
    VolunteerProfile.objects.filter(pk=profile.pk).update(consented_at=NEW_YEAR_EVE)
    return profile, Certificate.objects.get(volunteer=profile.user)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_certificate_record_and_list_show_bangkok_time_and_the_buddhist_era(client, staff, certified):
    _profile, certificate = certified
    record = text(client.get(f"/admin/certificates/issued/inspect/{certificate.pk}/"))
    assert "1 มกราคม 2570 03:30 น. (เวลาไทย, UTC+7)" in record
    assert "ธันวาคม 2026" not in record and "20:30" not in record  # Django's own format, in UTC
    listing = text(client.get("/admin/certificates/issued/"))
    assert "1 ม.ค. 2570 03:30 น. (UTC+7)" in listing


def test_english_admin_screens_show_the_christian_era(client, staff, certified):
    _profile, certificate = certified
    english_admin(staff)
    record = text(client.get(f"/admin/certificates/issued/inspect/{certificate.pk}/"))
    assert "1 January 2027, 03:30 (Thailand time, UTC+7)" in record
    assert "2570" not in record


def test_the_volunteer_record_shows_bangkok_time_and_the_volunteers_own_zone(client, staff, certified):
    profile, _certificate = certified
    record = text(client.get(f"/admin/volunteers/people/inspect/{profile.pk}/"))
    assert "1 มกราคม 2570 03:30 น. (เวลาไทย, UTC+7)" in record  # consent given
    assert "1 ม.ค. 2570 03:30 น. (UTC+7)" in record  # enrolled and completed, in the learning section
    assert "นอร์เวย์ (Oslo) (เวลาปกติของประเทศที่พำนัก)" in record


def test_the_completions_report_shows_the_buddhist_era_in_bangkok_time(client, staff, certified):
    page = text(client.get("/admin/reports/completions/"))
    assert "1 ม.ค. 2570 03:30 น. (UTC+7)" in page


def test_a_buddhist_era_year_in_a_report_filter_is_refused_never_read_as_the_year_2569(
    client, staff, certified
):
    response = client.get("/admin/reports/completions/", {"completed_at_from": "2569-12-01"})
    assert response.status_code == 200
    page = text(response)
    assert BE_REFUSED in page and "2026" in page.split(BE_REFUSED, 1)[1][:200]
    # The export is refused too, instead of a file filtered from the year 2569 of the Christian Era.
    export = client.get("/admin/reports/completions/", {"completed_at_from": "2569-12-01", "export": "csv"})
    assert export["Content-Type"].startswith("text/html") and BE_REFUSED in text(export)
    # The same day in the Christian Era filters as it should.
    page = text(client.get("/admin/reports/completions/", {"completed_at_from": "2026-12-01"}))
    assert "กัญญา ใจดี" in page and BE_REFUSED not in page


def test_a_buddhist_era_year_in_the_certificate_filter_or_an_organisation_form_is_refused(
    client, staff, certified
):
    page = text(client.get("/admin/certificates/issued/", {"issued_at_from": "2570-01-01"}))
    assert BE_REFUSED in page
    data = {"name_th": "มูลนิธิไทยในนอร์เวย์", "kind": "foundation", "certification_status": "certified"}
    data["certification_number"] = "สค. 123/2569"
    response = client.post("/admin/volunteers/organisations/add/", {**data, "certified_on": "2569-12-01"})
    assert BE_REFUSED in text(response)
    assert not Organization.objects.filter(name_th=data["name_th"]).exists()
    client.post("/admin/volunteers/organisations/add/", {**data, "certified_on": "2026-12-01"})
    assert Organization.objects.get(name_th=data["name_th"]).certified_on == datetime.date(2026, 12, 1)
