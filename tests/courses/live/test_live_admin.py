"""Live sessions in the admin: a trainer keeps only the sessions of the courses they may edit (list,
edit, delete, attendance, the run they choose), staff keep all; the attendance page ticks and
uploads; a Buddhist Era year is a form error, and every save raises the calendar sequence."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.learning.services import lesson_complete
from courses.live.models import LiveSession, SessionAttendance
from tests.courses.live.helpers import enrolled_volunteer, session_course, teams_tsv, trainer_of, zoom_csv
from tests.factories import make_user, make_volunteer

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/courses/livesession/"


def attendance_url(session):
    return f"/admin/live-sessions/{session.pk}/attendance/"


def session_post(run, **changes):
    data = {
        "run": str(run.pk),
        "title": "วงสนทนากับเครือข่ายไทยในนอร์เวย์",
        "starts": (timezone.now() + datetime.timedelta(days=12)).strftime("%Y-%m-%d %H:%M"),
        "duration_minutes": "60",
        "meeting_url": "https://meet.example.org/xyz",
        "link_opens_minutes": "30",
        "description": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def two_courses():
    ours = session_course("Our course")
    theirs = session_course("Their course")
    return ours, theirs


def test_a_trainer_lists_and_edits_only_the_sessions_of_their_course(client, two_courses):
    (course, _lesson, _run, session), (_c, _l, their_run, their_session) = two_courses
    client.force_login(trainer_of(course))
    listing = client.get(SNIPPETS).content.decode()
    assert session.title in listing and their_session.title not in listing
    assert attendance_url(session) in listing
    assert client.get(f"{SNIPPETS}edit/{session.pk}/").status_code == 200
    for path in ("edit", "delete", "copy", "usage", "history"):
        assert client.get(f"{SNIPPETS}{path}/{their_session.pk}/").status_code == 404, path
    assert client.post(f"{SNIPPETS}delete/{their_session.pk}/").status_code == 404
    assert client.post(f"{SNIPPETS}edit/{their_session.pk}/", session_post(their_run)).status_code == 404
    assert LiveSession.objects.filter(pk=their_session.pk).exists()
    assert client.get(attendance_url(their_session)).status_code == 404
    assert client.post(attendance_url(their_session), {"action": "list"}).status_code == 404
    chooser = client.get("/admin/snippets/choose/courses/livesession/").content.decode()
    assert session.title in chooser and their_session.title not in chooser


def test_a_trainer_cannot_choose_a_run_of_another_course(client, two_courses):
    (course, _lesson, run, _session), (_c, _l, their_run, _their_session) = two_courses
    client.force_login(trainer_of(course))
    form = client.get(f"{SNIPPETS}add/").content.decode()
    assert run.name in form and "Their course" not in form
    response = client.post(f"{SNIPPETS}add/", session_post(their_run, title="Sneaky"))
    assert response.status_code == 200
    assert "run" in response.context["form"].errors
    assert not LiveSession.objects.filter(title="Sneaky").exists()
    assert client.post(f"{SNIPPETS}add/", session_post(run, title="Ours")).status_code == 302
    assert LiveSession.objects.filter(title="Ours", run=run).exists()


def test_staff_keep_every_courses_sessions(client, two_courses):
    (_course, _lesson, _run, session), (_c, _l, _their_run, their_session) = two_courses
    client.force_login(make_user(group="Staff"))
    listing = client.get(SNIPPETS).content.decode()
    assert session.title in listing and their_session.title in listing
    assert client.get(attendance_url(their_session)).status_code == 200


def test_a_volunteer_and_an_outsider_are_refused(client, two_courses):
    (_course, _lesson, _run, session), _theirs = two_courses
    client.force_login(make_volunteer().user)
    assert client.get(attendance_url(session)).status_code == 302
    client.force_login(make_user())
    assert client.get(attendance_url(session)).status_code == 302


def test_a_buddhist_era_year_is_a_translated_form_error(client, two_courses):
    (course, _lesson, run, session), _theirs = two_courses
    client.force_login(trainer_of(course))
    response = client.post(
        f"{SNIPPETS}edit/{session.pk}/",
        session_post(run, starts="2569-12-10 19:00"),
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert response.status_code == 200
    assert "2569" in str(response.context["form"].errors["starts"])
    assert "พุทธศักราช" in response.content.decode()
    session.refresh_from_db()
    assert session.starts.year < 2100 and session.sequence == 0


def test_editing_a_session_in_the_admin_raises_its_sequence(client, two_courses):
    (course, _lesson, run, session), _theirs = two_courses
    client.force_login(trainer_of(course))
    response = client.post(f"{SNIPPETS}edit/{session.pk}/", session_post(run, title="Moved to Friday"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Moved to Friday" and session.sequence == 1


def test_the_list_is_ticked_and_unticked_and_completes_the_course(client):
    course, lesson, run, session = session_course(required=1)
    somchai = enrolled_volunteer(course, run, given_name_th="สมชาย", family_name_th="ใจดี")
    anong = enrolled_volunteer(course, run, given_name_th="อนงค์", family_name_th="สุขใจ")
    lesson_complete(volunteer=somchai, lesson=lesson)
    outsider = make_volunteer(given_name_th="คนนอก").user
    client.force_login(trainer_of(course))
    page = client.get(attendance_url(session)).content.decode()
    assert page.index("สมชาย ใจดี") < page.index("อนงค์ สุขใจ")
    assert "คนนอก" not in page
    response = client.post(
        attendance_url(session), {"action": "list", "attended": [somchai.pk, anong.pk, outsider.pk, "x"]}
    )
    assert response.status_code == 302
    assert set(SessionAttendance.objects.values_list("volunteer", flat=True)) == {somchai.pk, anong.pk}
    assert Certificate.objects.filter(volunteer=somchai, course=course).count() == 1
    assert ModelLogEntry.objects.filter(action="courses.attendance_mark").count() == 2
    client.post(attendance_url(session), {"action": "list", "attended": [somchai.pk]})
    assert list(SessionAttendance.objects.values_list("volunteer", flat=True)) == [somchai.pk]


def test_an_upload_shows_the_counts_and_the_unmatched_rows_escaped(client):
    course, _lesson, run, session = session_course()
    enrolled_volunteer(course, run, email="inside@example.org")
    client.force_login(trainer_of(course))
    raw = zoom_csv("Inside@Example.org", "<img src=x onerror=alert(1)>@evil.example")
    response = client.post(
        attendance_url(session),
        {"action": "upload", "file": SimpleUploadedFile("participants.csv", raw, "text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;@evil.example" in html
    assert "<img src=x" not in html
    assert response.context["outcome"].marked == 1
    assert SessionAttendance.objects.get().source == "upload"
    teams = client.post(
        attendance_url(session),
        {"action": "upload", "file": SimpleUploadedFile("attendance.csv", teams_tsv("inside@example.org"))},
    )
    assert teams.status_code == 200 and teams.context["outcome"].already == 1


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("names.csv", "Name\nสมชาย\n".encode()),
        ("big.csv", b"Email\n" + b"a@example.org\n" * 80_000),
        ("report.pdf", b"%PDF-1.4\n"),
        ("script.csv", b"Email\n<script>alert(1)</script>@evil.example\n"),
    ],
)
def test_a_bad_file_is_a_translated_form_error_and_records_nothing(client, name, raw):
    course, _lesson, run, session = session_course()
    enrolled_volunteer(course, run, email="a@example.org")
    client.force_login(trainer_of(course))
    response = client.post(
        attendance_url(session),
        {"action": "upload", "file": SimpleUploadedFile(name, raw)},
        HTTP_ACCEPT_LANGUAGE="th",
    )
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"]
    assert not SessionAttendance.objects.exists()


def test_an_unknown_action_is_a_400(client):
    course, _lesson, _run, session = session_course()
    client.force_login(trainer_of(course))
    assert client.post(attendance_url(session), {"action": "nothing"}).status_code == 400


def test_the_bulk_delete_of_the_listing_refuses_another_courses_session(client, two_courses):
    (course, _lesson, _run, session), (_c, _l, _their_run, their_session) = two_courses
    client.force_login(trainer_of(course))
    url = f"/admin/bulk/courses/livesession/delete/?id={their_session.pk}&id={session.pk}"
    client.post(url)
    assert LiveSession.objects.filter(pk=their_session.pk).exists()
    assert not LiveSession.objects.filter(pk=session.pk).exists()
