"""Country coordinators and live-session attendance (issue 22): a coordinator for Norway lists,
marks and unmarks only Norwegians; a Swede's row in an attendance file is as unmatched to them as a
stranger's; the sessions listing counts only Norwegians who attended."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.live.attendance import attendance_list_save
from courses.live.models import SessionAttendance
from tests.courses.live.helpers import enrolled_volunteer, session_course, trainer_of, zoom_csv
from tests.courses.live.test_live_admin import SNIPPETS, attendance_url
from tests.factories import english_admin, make_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    """A session of a run with a Norwegian and a Swede enrolled."""
    course, _lesson, run, session = session_course()
    norwegian = enrolled_volunteer(
        course, run, given_name_th="นอร์เวย์", email="nordmann@example.org", country="NO"
    )
    swede = enrolled_volunteer(course, run, given_name_th="สวีเดน", email="svensson@example.org", country="SE")
    return {"course": course, "session": session, "norwegian": norwegian, "swede": swede}


@pytest.fixture
def coordinator(client):
    user = english_admin(make_coordinator(countries=("NO",)))
    client.force_login(user)
    return user


def attended() -> set[int]:
    return set(SessionAttendance.objects.values_list("volunteer", flat=True))


def test_a_coordinator_lists_and_ticks_only_their_countries_volunteers(client, coordinator, live):
    page = client.get(attendance_url(live["session"])).content.decode()
    assert "นอร์เวย์" in page and "สวีเดน" not in page
    ids = [live["norwegian"].pk, live["swede"].pk]
    assert (
        client.post(attendance_url(live["session"]), {"action": "list", "attended": ids}).status_code == 302
    )
    assert attended() == {live["norwegian"].pk}


def test_a_coordinators_list_never_unmarks_a_volunteer_of_another_country(client, coordinator, live):
    trainer = trainer_of(live["course"])
    attendance_list_save(
        session=live["session"], attended_ids={live["norwegian"].pk, live["swede"].pk}, actor=trainer
    )
    client.post(attendance_url(live["session"]), {"action": "list"})  # nobody ticked
    assert attended() == {live["swede"].pk}


def test_a_swedes_row_in_a_coordinators_upload_is_unmatched(client, coordinator, live):
    raw = zoom_csv("nordmann@example.org", "svensson@example.org", "guest@example.net")
    response = client.post(
        attendance_url(live["session"]),
        {"action": "upload", "file": SimpleUploadedFile("participants.csv", raw, "text/csv")},
    )
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.marked == 1 and outcome.unmatched == ["svensson@example.org", "guest@example.net"]
    assert attended() == {live["norwegian"].pk}


def test_a_coordinator_with_no_countries_sees_and_marks_nobody(client, live):
    client.force_login(english_admin(make_coordinator(countries=())))
    page = client.get(attendance_url(live["session"])).content.decode()
    assert "นอร์เวย์" not in page and "สวีเดน" not in page
    client.post(attendance_url(live["session"]), {"action": "list", "attended": [live["norwegian"].pk]})
    assert attended() == set()


def test_the_sessions_listing_counts_only_the_coordinators_countries_attendance(client, coordinator, live):
    trainer = trainer_of(live["course"])
    attendance_list_save(
        session=live["session"], attended_ids={live["norwegian"].pk, live["swede"].pk}, actor=trainer
    )
    rows = client.get(SNIPPETS).content.decode().split("<tr")
    row = next(row.split("</tr>", 1)[0] for row in rows if live["session"].title in row)
    assert [int(cell) for cell in re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row)] == [1]
