"""Registration: status transitions, the volunteer number, its uniqueness, and the audit trail."""

import re

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from tests.factories import make_user, make_volunteer
from volunteers.models import VolunteerProfile
from volunteers.services import volunteer_mark_inactive, volunteer_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(group="Staff")


def test_registration_assigns_a_readable_number_and_records_who_and_when(staff):
    profile = make_volunteer()
    assert volunteer_register(profile=profile, actor=staff) is True
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.REGISTERED
    assert re.fullmatch(r"OV-20\d\d-\d{6}", profile.volunteer_number)
    assert profile.registered_by == staff and profile.registered_at is not None
    entry = ModelLogEntry.objects.get(action="volunteers.register")
    assert entry.user_id == staff.pk and entry.object_id == str(profile.pk)


def test_numbers_count_up_and_never_repeat(staff):
    numbers = []
    for _index in range(3):
        profile = make_volunteer()
        volunteer_register(profile=profile, actor=staff)
        profile.refresh_from_db()
        numbers.append(profile.volunteer_number)
    assert len(set(numbers)) == 3
    assert [int(number[-6:]) for number in numbers] == [1, 2, 3]


def test_registering_twice_changes_nothing_and_a_returning_volunteer_keeps_the_number(staff):
    profile = make_volunteer()
    volunteer_register(profile=profile, actor=staff)
    profile.refresh_from_db()
    number = profile.volunteer_number
    assert volunteer_register(profile=profile, actor=staff) is False
    assert volunteer_mark_inactive(profile=profile, actor=staff) is True
    profile.refresh_from_db()
    assert profile.status == VolunteerProfile.Status.INACTIVE and profile.volunteer_number == number
    volunteer_register(profile=profile, actor=staff)
    profile.refresh_from_db()
    assert profile.volunteer_number == number
    assert ModelLogEntry.objects.filter(action="volunteers.mark_inactive").count() == 1


def test_the_database_refuses_duplicate_numbers():
    make_volunteer(volunteer_number="OV-2026-000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_volunteer(volunteer_number="OV-2026-000001")


def test_the_database_refuses_a_registered_volunteer_without_a_number():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_volunteer(status=VolunteerProfile.Status.REGISTERED)


@pytest.mark.scaleout
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_numbers():
    """Staff on several app servers register at once: the row lock keeps numbers unique and gap-free."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    staff = make_user(group="Staff")
    profiles = [make_volunteer() for _index in range(8)]

    def register(profile):
        try:
            return volunteer_register(profile=profile, actor=staff)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(register, profiles))
    numbers = sorted(VolunteerProfile.objects.values_list("volunteer_number", flat=True))
    assert [int(number[-6:]) for number in numbers] == list(range(1, 9))
