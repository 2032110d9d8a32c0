"""Whose clock a page shows: a volunteer's own pages in their profile's zone (from their country
unless they chose one), certificates in Bangkok, and staff's Wagtail admin in Bangkok by default."""

import datetime
import uuid

import pytest
from wagtail.users.models import UserProfile

from certificates.models import Certificate
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, QuizAttempt
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, add_quiz, as_posted
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db

# 20:30 UTC on New Year's Eve 2026: 21:30 on 31 December (BE 2569) in Oslo, 03:30 on 1 January 2027
# (BE 2570) in Bangkok, 15:30 on 31 December in New York.
NEW_YEAR_EVE = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=datetime.UTC)


@pytest.fixture
def oslo_volunteer(client):
    course, module, lesson = make_course_tree(title="Orientation")
    quiz = add_quiz(module)
    profile = make_volunteer(given_name_th="กัญญา", family_name_th="ใจดี", country="NO")
    course_enrol(volunteer=profile.user, course=course)
    client.force_login(profile.user)
    return profile, course, lesson, quiz


def finish_attempt(client, quiz) -> QuizAttempt:
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    client.post(quiz.url, {"action": "submit", "attempt": token, **as_posted(RIGHT_POST, token)})
    QuizAttempt.objects.filter(pk=attempt.pk).update(finished_at=NEW_YEAR_EVE)
    return attempt


def history(html: str) -> str:
    return html.split('id="quiz-history-heading"', 1)[1].split("</section>", 1)[0]


def test_quiz_history_shows_the_buddhist_era_and_the_zone_of_the_volunteers_country(client, oslo_volunteer):
    _profile, _course, _lesson, quiz = oslo_volunteer
    finish_attempt(client, quiz)
    thai = history(client.get(quiz.url).content.decode())
    assert "31 ธันวาคม 2569 21:30 น. (เวลานอร์เวย์, UTC+1)" in thai
    assert "2026" not in thai and "20:30" not in thai
    english = history(client.get(f"/en{quiz.url}").content.decode())
    assert "31 December 2026, 21:30 (Norway time, UTC+1)" in english
    assert "2569" not in english


def test_a_zone_the_volunteer_chose_wins_over_their_countrys(client, oslo_volunteer):
    profile, _course, _lesson, quiz = oslo_volunteer
    profile.time_zone = "America/New_York"
    profile.save()
    finish_attempt(client, quiz)
    assert "31 December 2026, 15:30 (United States time, UTC-5)" in history(
        client.get(f"/en{quiz.url}").content.decode()
    )


def test_the_dashboard_dates_a_completion_in_the_volunteers_zone_and_the_certificate_in_bangkok(
    client, oslo_volunteer
):
    profile, _course, lesson, quiz = oslo_volunteer
    finish_attempt(client, quiz)
    lesson_complete(volunteer=profile.user, lesson=lesson)
    CourseCompletion.objects.filter(volunteer=profile.user).update(completed_at=NEW_YEAR_EVE)
    Certificate.objects.filter(volunteer=profile.user).update(issued_at=NEW_YEAR_EVE)
    assert "31 ธันวาคม 2569" in client.get("/learn/").content.decode()
    # The certificate carries the issuer's date, whoever reads it and wherever they live.
    mine = client.get("/learn/certificates/").content.decode()
    assert "1 มกราคม 2570" in mine and "31 ธันวาคม 2569" not in mine
    certificate = Certificate.objects.get(volunteer=profile.user)
    verify = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "1 มกราคม 2570" in verify and "1 January 2027" in verify


def test_staff_and_trainers_read_the_admin_in_bangkok_time_unless_they_chose_a_zone(client):
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    assert UserProfile.get_for_user(staff).current_time_zone == "Asia/Bangkok"

    trainer = make_user(group="Trainers")
    chosen = UserProfile.get_for_user(trainer)
    chosen.current_time_zone = "Europe/Oslo"
    chosen.save()
    client.login(email=trainer.email, password=PASSWORD)
    assert UserProfile.get_for_user(trainer).current_time_zone == "Europe/Oslo"

    volunteer = make_volunteer()
    client.login(email=volunteer.user.email, password=PASSWORD)
    assert not UserProfile.objects.filter(user=volunteer.user).exists()


def test_the_admins_time_zone_choices_are_real_zones_a_browser_accepts():
    """Wagtail offers every file of the system's tz database unless told otherwise; Debian's holds
    "localtime", and the account page's script failed on it (RangeError: Invalid time zone)."""
    from wagtail.admin.localization import get_available_admin_time_zones

    zones = get_available_admin_time_zones()
    assert "Europe/Oslo" in zones and "Asia/Bangkok" in zones and "UTC" in zones
    assert not {"localtime", "posixrules", "Factory"} & set(zones)
    assert all(name == "UTC" or "/" in name for name in zones)
