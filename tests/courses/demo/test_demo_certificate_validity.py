"""The demo shows certificate validity and renewal: the orientation certificate is valid three years
and names its refresher course; one demo certificate is about to expire (its holder was reminded and
is offered the refresher), one has expired (its verify page says so and staff see it flagged)."""

import datetime

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.models import CoursePage
from notifications.models import Notification
from volunteers.models import VolunteerProfile
from volunteers.registration import registration_lapsed, registration_missing

pytestmark = pytest.mark.django_db


def orientation_certificate(email: str) -> Certificate:
    return Certificate.objects.get(volunteer__email=email, course__slug="orientation")


def test_the_orientation_certificate_expires_and_names_its_refresher(demo):
    orientation = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    assert orientation.certificate_valid_months == 36
    assert orientation.refresher_course.slug == "orientation-refresher" and orientation.refresher_course.live


def test_one_demo_certificate_is_about_to_expire_and_its_holder_was_reminded(demo, client):
    certificate = orientation_certificate("prasert.no@example.org")
    assert certificate.public_status == "valid"
    assert timezone.now() < certificate.valid_until <= timezone.now() + datetime.timedelta(days=60)
    assert certificate.credential["validUntil"]
    reminder = Notification.objects.get(user=certificate.volunteer, kind="certificate_expiring")
    assert reminder.context["days"] == 60
    assert "orientation-refresher" in str(reminder.context["link"])


def test_one_demo_certificate_has_expired_and_its_holder_is_flagged_for_staff(demo, client):
    certificate = orientation_certificate("wichai.se@example.org")
    assert certificate.public_status == "expired" and certificate.status == Certificate.Status.VALID
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "This certificate has expired" in html
    profile = VolunteerProfile.objects.get(user=certificate.volunteer)
    assert registration_lapsed(profile) and registration_missing(profile)
    assert Notification.objects.filter(user=certificate.volunteer, kind="certificate_expired").count() == 1
