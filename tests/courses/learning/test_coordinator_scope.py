"""Country coordinators in staff enrolment and course runs (issue 22): a coordinator for Norway
enrols Norwegians only (a Swede's address in a CSV is refused on its row, a Swede in the bulk
action is refused), the runs listing counts only Norwegians enrolled and waiting, and the page of
a Swede's enrolment is a 404 to them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.learning.models import Enrollment, RunWaitlistEntry
from courses.learning.services import course_enrol, course_run_enrol
from tests.courses.learning.run_helpers import make_run
from tests.factories import english_admin, make_coordinator, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

CSV_URL = "/admin/courses/enrol/"
RUNS = "/admin/snippets/courses/courserun/"


@pytest.fixture
def coordinator(client):
    user = english_admin(make_coordinator(countries=("NO",)))
    client.force_login(user)
    return user


@pytest.fixture
def course():
    return make_course_tree(title="Orientation")[0]


def bulk_url(*profiles):
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "enrol_in_course"])
    return url + "?" + "&".join(f"id={profile.pk}" for profile in profiles)


def outcome_of(html: str, email: str) -> tuple[str, str]:
    """The class and the message of `email`'s row in the CSV's outcome table."""
    row = re.search(rf'<tr class="enrol-(\w+)"><td>\d+</td><td>{re.escape(email)}</td><td>(.*?)</td>', html)
    return row.group(1), row.group(2)


def test_a_coordinator_enrols_from_a_csv_only_their_countries_volunteers(client, coordinator, course):
    norwegian = make_volunteer(email="nordmann@example.org", country="NO")
    swede = make_volunteer(email="svensson@example.org", country="SE")
    upload = SimpleUploadedFile(
        "people.csv", b"nordmann@example.org\nsvensson@example.org\nnobody@example.org\n"
    )
    response = client.post(CSV_URL, {"course": course.pk, "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert outcome_of(html, "nordmann@example.org")[0] == "enrolled"
    # The Swede is refused as no volunteer of theirs, like an address nobody has: nothing says more.
    refused = outcome_of(html, "svensson@example.org")
    assert refused == ("unknown", "No volunteer of your countries has this email address.")
    assert outcome_of(html, "nobody@example.org") == refused
    assert Enrollment.objects.filter(volunteer=norwegian.user, course=course).exists()
    assert not Enrollment.objects.filter(volunteer=swede.user).exists()


def test_staff_still_enrol_anyone_from_a_csv(client, course):
    client.force_login(english_admin(make_user(group="Staff")))
    swede = make_volunteer(email="svensson@example.org", country="SE")
    upload = SimpleUploadedFile("people.csv", b"svensson@example.org\n")
    html = client.post(CSV_URL, {"course": course.pk, "file": upload}).content.decode()
    assert outcome_of(html, "svensson@example.org")[0] == "enrolled"
    assert Enrollment.objects.filter(volunteer=swede.user).exists()


def test_a_coordinators_bulk_enrolment_refuses_a_swede_and_enrols_the_norwegian(client, coordinator, course):
    norwegian = make_volunteer(given_name_th="นอร์เวย์", country="NO")
    swede = make_volunteer(given_name_th="สวีเดน", country="SE")
    response = client.post(bulk_url(norwegian, swede), {"course": course.pk})
    assert response.status_code == 302
    assert Enrollment.objects.filter(volunteer=norwegian.user, course=course).exists()
    assert not Enrollment.objects.filter(volunteer=swede.user).exists()


def test_a_coordinator_with_no_countries_enrols_nobody(client, course):
    client.force_login(english_admin(make_coordinator(countries=())))
    norwegian = make_volunteer(email="nordmann@example.org", country="NO")
    upload = SimpleUploadedFile("people.csv", b"nordmann@example.org\n")
    html = client.post(CSV_URL, {"course": course.pk, "file": upload}).content.decode()
    assert outcome_of(html, "nordmann@example.org")[0] == "unknown"
    client.post(bulk_url(norwegian), {"course": course.pk})
    assert not Enrollment.objects.exists()


def test_the_runs_listing_counts_only_the_coordinators_countries_enrolled_and_waiting(
    client, coordinator, course
):
    run = make_run(course, seats=2)
    for country in ("NO", "SE"):
        course_run_enrol(volunteer=make_volunteer(country=country).user, course=course, run=run)
    for country in ("SE", "SE", "NO"):
        course_run_enrol(volunteer=make_volunteer(country=country).user, course=course, run=run)
    assert Enrollment.objects.filter(run=run).count() == 2 and RunWaitlistEntry.objects.count() == 3
    rows = client.get(RUNS).content.decode().split("<tr")
    row = next(row.split("</tr>", 1)[0] for row in rows if run.name in row)
    numbers = [int(cell) for cell in re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", row)]
    # Seats 2 are the run's; enrolled and waiting are Norway's: one each.
    assert numbers[-2:] == [1, 1]


def test_the_page_of_a_swedes_enrolment_is_a_404_to_a_norway_coordinator(client, coordinator, course):
    first, later = make_run(course, name="first"), make_run(course, name="later", opens_in=5, closes_in=20)
    swede, _created = course_enrol(volunteer=make_volunteer(country="SE").user, course=course, run=first)
    norwegian, _created = course_enrol(volunteer=make_volunteer(country="NO").user, course=course, run=first)
    url = reverse("courses_enrolment_run", args=[swede.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "move", "run": later.pk}).status_code == 404
    assert Enrollment.objects.get(pk=swede.pk).run == first
    assert client.get(reverse("courses_enrolment_run", args=[norwegian.pk])).status_code == 200
