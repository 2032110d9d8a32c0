"""Country coordinators' weekly digest (issue 22): what waits in their countries only (applicants
ready, new and waiting; organisations to confirm), none when nothing waits there, and they may turn
it off as staff may."""

import pytest

from courses.learning.models import CourseCompletion
from notifications.models import Notification
from notifications.selectors import optional_kinds_for
from tests.courses.reports.test_digests import IN_WEEK, MONDAY, run
from tests.factories import make_coordinator, make_course_tree, make_organization, make_user, make_volunteer

pytestmark = pytest.mark.django_db


def staff_digest(user) -> dict | None:
    notification = Notification.objects.filter(user=user, kind="staff_digest").first()
    return notification.context if notification else None


@pytest.fixture
def waiting():
    """Applicants ready to register in Norway (one) and Sweden (two), another waiting in Sweden;
    an organisation to confirm in each country."""
    required, _module, _lesson = make_course_tree(title="หลักสูตรบังคับ")
    required.required_for_registration = True
    required.save_revision().publish()
    for country in ("NO", "SE", "SE"):
        volunteer = make_volunteer(country=country).user
        CourseCompletion.objects.create(volunteer=volunteer, course=required, completed_at=IN_WEEK)
    make_volunteer(country="SE")
    make_organization(name_th="สมาคมไทยในออสโล", country="NO", is_confirmed=False)
    make_organization(name_th="สมาคมไทยในสตอกโฮล์ม", country="SE", is_confirmed=False)


def test_a_coordinator_hears_only_of_what_waits_in_their_countries(
    waiting, django_capture_on_commit_callbacks
):
    norway = make_coordinator(countries=("NO",))
    staff = make_user(group="Staff")
    result = run(MONDAY, django_capture_on_commit_callbacks)
    assert result["staff_digests"] == 2
    mine = staff_digest(norway)
    assert (mine["applicants_ready"], mine["applicants_waiting"], mine["organisations_to_confirm"]) == (
        1,
        1,
        1,
    )
    everyone = staff_digest(staff)
    assert (everyone["applicants_ready"], everyone["applicants_waiting"]) == (3, 4)
    assert everyone["organisations_to_confirm"] == 2


def test_a_coordinator_of_a_country_where_nothing_waits_gets_no_digest(
    waiting, django_capture_on_commit_callbacks
):
    denmark, nobody = make_coordinator(countries=("DK",)), make_coordinator(countries=())
    run(MONDAY, django_capture_on_commit_callbacks)
    assert staff_digest(denmark) is None and staff_digest(nobody) is None


def test_a_coordinator_may_turn_the_staff_digest_off():
    assert "staff_digest" in {kind.name for kind in optional_kinds_for(make_coordinator())}
