"""Attack: a credential's `statusListIndex` was its certificate's primary key, so anyone holding two
credentials (or one, and a guess) learnt how many certificates the ministry had issued. Indexes are
now drawn at random from the list's free slots, unique by a database constraint."""

import itertools

import pytest
from django.db import IntegrityError, transaction

from certificates import credentials
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke, status_index_allocate
from tests.factories import make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course_tree(title="หลักสูตรปฐมนิเทศ")[0]


def issue(course, count):
    return [certificate_issue(volunteer=make_volunteer().user, course=course) for _ in range(count)]


def published_index(certificate) -> int:
    return int(certificate.credential["credentialStatus"]["statusListIndex"])


def test_the_published_index_is_not_the_issue_order(course):
    certificates = issue(course, 6)
    indexes = [published_index(certificate) for certificate in certificates]
    assert indexes != [certificate.pk for certificate in certificates]
    # Consecutive issues do not get consecutive slots.
    assert any(b - a != 1 for a, b in itertools.pairwise(indexes))
    assert len(set(indexes)) == 6
    assert all(0 <= index < credentials.STATUS_LIST_MIN_BITS for index in indexes)
    assert [certificate.status_index for certificate in certificates] == indexes


def test_revoking_sets_exactly_the_published_bit(client, course):
    certificates = issue(course, 3)
    certificate_revoke(certificate=certificates[1], actor=make_user(group="Staff"), reason="Issued in error")
    encoded = client.get("/certificates/status/revocation.json").json()["credentialSubject"]["encodedList"]
    assert credentials.status_list_is_set(encoded, published_index(certificates[1]))
    assert not credentials.status_list_is_set(encoded, published_index(certificates[0]))
    assert not credentials.status_list_is_set(encoded, published_index(certificates[2]))


def test_the_database_keeps_indexes_unique(course):
    first, second = issue(course, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=second.pk).update(status_list_index=first.status_list_index)


def test_a_slot_already_taken_is_never_drawn(course, monkeypatch):
    (taken,) = issue(course, 1)
    draws = iter([taken.status_list_index] * 8 + [taken.status_list_index + 1] * 8 + [0] * 8)
    monkeypatch.setattr("certificates.services.secrets.randbelow", lambda _limit: next(draws))
    assert status_index_allocate() == taken.status_list_index + 1


def test_losing_a_race_for_a_slot_draws_again(course, monkeypatch):
    """Two issues that draw the same free slot at once: the constraint refuses one, which draws again."""
    (taken,) = issue(course, 1)
    from certificates import services

    slots = iter([taken.status_list_index, taken.status_list_index + 7])
    monkeypatch.setattr(services, "status_index_allocate", lambda **_kwargs: next(slots))
    certificate = certificate_issue(volunteer=make_volunteer().user, course=course)
    assert certificate.status_list_index == taken.status_list_index + 7


def test_indexes_given_before_stay_valid_and_the_list_covers_them(client, course):
    """A certificate from before random indexes kept its id as its index (the migration copies it)."""
    (old,) = issue(course, 1)
    Certificate.objects.filter(pk=old.pk).update(status_list_index=200_000)
    old.refresh_from_db()
    certificate_revoke(certificate=old, actor=make_user(group="Staff"), reason="Issued in error")
    encoded = client.get("/certificates/status/revocation.json").json()["credentialSubject"]["encodedList"]
    assert credentials.status_list_is_set(encoded, 200_000)
