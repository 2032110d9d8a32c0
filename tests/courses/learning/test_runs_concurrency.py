"""Seats hold under concurrent enrolment: twenty volunteers enrol at the same moment in a run with ten
seats; exactly ten are enrolled and ten wait, in separate connections.

On SQLite (the file test database) the IMMEDIATE transactions serialise the writers; on PostgreSQL
(`scaleout`) the run's row is locked with SELECT ... FOR UPDATE while seats are counted.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from courses.learning.models import Enrollment, RunWaitlistEntry
from courses.learning.services import course_run_enrol
from tests.courses.learning.run_helpers import make_run
from tests.factories import make_course_tree, make_volunteer

VOLUNTEERS = 20
SEATS = 10


def enrol_all_at_once(course, run, people) -> list:
    barrier = Barrier(len(people))

    def enrol(person):
        try:
            barrier.wait(timeout=30)
            place = course_run_enrol(volunteer=person, course=course, run=run)
            return "enrolled" if place.enrolment is not None else "waiting"
        except Exception as error:  # collected and asserted below
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(enrol, people))


def check_twenty_for_ten_seats():
    course, _module, _lesson = make_course_tree(title="Seats")
    run = make_run(course, seats=SEATS)
    people = [make_volunteer().user for _ in range(VOLUNTEERS)]

    outcomes = enrol_all_at_once(course, run, people)

    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    assert outcomes.count("enrolled") == SEATS and outcomes.count("waiting") == VOLUNTEERS - SEATS
    assert Enrollment.objects.filter(run=run).count() == SEATS
    assert RunWaitlistEntry.objects.filter(run=run).count() == VOLUNTEERS - SEATS
    # Nobody is both enrolled and waiting.
    enrolled = set(Enrollment.objects.filter(run=run).values_list("volunteer", flat=True))
    waiting = set(RunWaitlistEntry.objects.filter(run=run).values_list("volunteer", flat=True))
    assert not enrolled & waiting and len(enrolled | waiting) == VOLUNTEERS


@pytest.mark.django_db(transaction=True)
def test_twenty_volunteers_at_once_take_exactly_the_ten_seats_and_ten_wait():
    check_twenty_for_ten_seats()


@pytest.mark.scaleout
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_twenty_volunteers_at_once_take_exactly_the_ten_seats():
    """The same race on PostgreSQL, where the run's row lock is what holds the limit."""
    assert connection.vendor == "postgresql"
    check_twenty_for_ten_seats()
