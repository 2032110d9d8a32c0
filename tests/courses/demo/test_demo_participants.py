"""The demo shows a course's participants (issue 23): the demo trainer reaches the orientation
course's participants from their home and finds the volunteers of Norway, Sweden and Denmark there,
completed, in progress and not started, by name only."""

import html

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

from courses.authoring.models import CoursePage
from tests.courses.reports.test_reports import screen_rows
from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_trainer_finds_the_orientation_courses_participants_from_their_home(demo, client):
    assert client.login(email="trainer@example.org", password=DEMO_PASSWORD)
    course = CoursePage.objects.get(slug="orientation", depth=4, locale__language_code="th")
    url = f"/admin/courses/{course.pk}/participants/"
    assert url in client.get("/admin/").content.decode()
    page = html.unescape(client.get(url).content.decode())
    for name in ("อรุณ แก้วใส", "สุดา พรหมมา", "ละมัย ทองดี", "พิมพ์ ชัยชนะ", "ชัย เจริญสุข"):
        assert name in page
    with translation.override(settings.LANGUAGE_CODE):
        statuses = {gettext("Completed"), pgettext("learning", "In progress")}
    assert statuses <= {cell for row in screen_rows(page) for cell in row}
    assert "arun.no@example.org" not in page
    norway = html.unescape(client.get(url, {"country": "NO"}).content.decode())
    assert "อรุณ แก้วใส" in norway and "ละมัย ทองดี" not in norway
