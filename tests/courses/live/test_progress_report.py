"""The progress report (staff) shows sessions attended of those the course asks for, and nothing for
a course that asks for none; the CSV export carries the same cells."""

import csv
import io

import pytest

from courses.live.attendance import attendance_list_save
from tests.courses.live.helpers import enrolled_volunteer, session_course
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def exported(client, course) -> dict[str, str]:
    response = client.get("/admin/reports/progress/", {"course": course.pk, "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    heading, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1
    return dict(zip(heading, rows[0], strict=True))


def test_the_progress_export_counts_the_sessions_attended_of_those_asked_for(client):
    course, _lesson, run, session = session_course(required=2)
    volunteer = enrolled_volunteer(course, run)
    attendance_list_save(session=session, attended_ids={volunteer.pk}, actor=make_user(group="Trainers"))
    plain, _plain_lesson, plain_run, _plain_session = session_course("Plain")
    enrolled_volunteer(plain, plain_run)
    client.force_login(make_user(group="Staff"))
    with_attendance = exported(client, course)
    column = [key for key in with_attendance if "ประชุมออนไลน์" in key or "Live sessions" in key]
    assert column, with_attendance
    assert with_attendance[column[0]] == "1 / 2"
    assert exported(client, plain)[column[0]] == ""
    page = client.get("/admin/reports/progress/", {"course": course.pk}).content.decode()
    assert "1 / 2" in page
