"""The demo shows reminders and digests: the demo volunteer, stopped halfway through the orientation
course, was reminded once by the real job, with a link to where they stopped, and the demo trainer
and staff have this week's digest in their notification centre."""

import pytest

from courses.authoring.models import LessonPage
from courses.demo.notices import seed_course_reminder, seed_weekly_digests
from notifications.models import Notification
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_volunteer_was_reminded_once_with_a_link_to_where_they_stopped(demo, client):
    [reminder] = Notification.objects.filter(user__email="volunteer@example.org", kind="course_reminder")
    assert reminder.shown_at and reminder.emailed_at
    client.login(email="volunteer@example.org", password=DEMO_PASSWORD)
    # The link leads to the first lesson not done, named in the mail (it is not a sensitive one).
    target = client.get(reminder.context["link"]["th"])["Location"]
    step = LessonPage.objects.get(
        locale__language_code="th", url_path__endswith=target.removeprefix("/courses")
    )
    assert not step.is_sensitive and reminder.context["step_title"]["th"] == step.title
    sensitive = LessonPage.objects.filter(is_sensitive=True, locale__language_code="th")
    page = client.get("/learn/notifications/").content.decode()
    assert "ปฐมนิเทศอาสาสมัคร" in page
    for lesson in sensitive:
        assert lesson.title not in page
    # Seeding again sends nothing more.
    seed_course_reminder()
    seed_weekly_digests()
    assert Notification.objects.filter(kind="course_reminder").count() == 1


def test_the_demo_trainer_and_staff_have_a_digest(demo, client):
    for email, kind in (("trainer@example.org", "trainer_digest"), ("staff@example.org", "staff_digest")):
        [digest] = Notification.objects.filter(user__email=email, kind=kind)
        assert digest.shown_at
        client.login(email=email, password=DEMO_PASSWORD)
        assert f'id="notification-{digest.pk}"' in client.get("/learn/notifications/").content.decode()
