"""Expiry reminders: time is driven forward by passing the job fixed clocks. A holder is told 60 and
then 14 days before their certificate expires, and once after it expired, each message once however
often the job runs, in their language, with the link to the refresher course that renews it.
Revoked and replaced certificates, and people whose data was erased, are told nothing."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from certificates.expiry import certificate_expiry_reminders_send
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from courses.models import CoursePage
from notifications.models import Notification, NotificationPreferences
from tests.factories import make_course_tree, make_user, make_volunteer
from training.notices import kind_get
from training.scheduler import JOBS

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ISSUED = datetime.datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # 12:00 in Bangkok
VALID_UNTIL = datetime.datetime(2028, 12, 3, 16, 59, 59, tzinfo=UTC)  # 24 months on, end of the day


def before(days: float, hours: float = 0) -> datetime.datetime:
    return VALID_UNTIL - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def courses():
    refresher = make_course_tree(title="ทบทวนการส่งต่อ", slug="referral-refresher")[0]
    course = make_course_tree(title="การส่งต่อกรณีความรุนแรง")[0]
    CoursePage.objects.filter(pk=course.pk).update(certificate_valid_months=24, refresher_course=refresher)
    course.refresh_from_db()
    return course, refresher


def holder_of(course, **profile):
    volunteer = make_volunteer(**profile).user
    certificate = certificate_issue(volunteer=volunteer, course=course, completed_at=ISSUED)
    assert certificate.valid_until == VALID_UNTIL
    return certificate


def run(now, capture):
    with capture(execute=True):
        return certificate_expiry_reminders_send(now=now)


def notices(certificate, kind=None):
    found = Notification.objects.filter(user_id=certificate.volunteer_id, kind__startswith="certificate_exp")
    return list(found.filter(kind=kind) if kind else found)


def test_the_job_runs_every_hour_and_the_kinds_are_registered():
    assert JOBS["certificate_expiry_reminders"].every == datetime.timedelta(hours=1)
    for name in ("certificate_expiring", "certificate_expired", "certificate_renewed"):
        assert kind_get(name).link == "link"


def test_reminded_sixty_and_fourteen_days_before_and_after_expiry_each_once(
    courses, django_capture_on_commit_callbacks
):
    course, refresher = courses
    certificate = holder_of(course, preferred_language="en")
    mail.outbox.clear()
    assert run(before(61), django_capture_on_commit_callbacks)["expiring"] == 0
    assert run(before(60, hours=-1), django_capture_on_commit_callbacks)["expiring"] == 1
    for moment in (before(59), before(40), before(15)):  # the job runs again: nothing more
        assert run(moment, django_capture_on_commit_callbacks)["expiring"] == 0
    assert run(before(14, hours=-1), django_capture_on_commit_callbacks)["expiring"] == 1
    for moment in (before(13), before(0, hours=1)):
        assert run(moment, django_capture_on_commit_callbacks)["expiring"] == 0
    assert run(before(0, hours=-1), django_capture_on_commit_callbacks)["expired"] == 1
    for moment in (before(-1), before(-30)):
        assert run(moment, django_capture_on_commit_callbacks) == {
            "expiring": 0,
            "expired": 0,
            "waiting_for_quiet_hours_to_end": 0,
        }
    assert sorted(n.context["days"] for n in notices(certificate, "certificate_expiring")) == [14, 60]
    assert len(notices(certificate, "certificate_expired")) == 1
    assert len(mail.outbox) == 3

    sixty, fourteen, expired = mail.outbox
    assert fourteen.subject == sixty.subject  # the same date, told again
    assert sixty.subject == "Your certificate for “การส่งต่อกรณีความรุนแรง” expires on 3 December 2028"
    assert f"Your certificate {certificate.serial} for the course" in sixty.body
    assert "complete the refresher course “ทบทวนการส่งต่อ”" in sixty.body
    # The refresher has no English version: the link leads to the Thai one.
    assert f"{settings.SITE_URL}{refresher.url}" in sixty.body and refresher.url in expired.body
    assert expired.subject == "Your certificate for “การส่งต่อกรณีความรุนแรง” has expired"
    assert "has now expired" in expired.body


def test_a_thai_reader_is_reminded_in_thai_with_the_buddhist_era_date(
    courses, django_capture_on_commit_callbacks
):
    course, _refresher = courses
    holder_of(course, preferred_language="th")
    mail.outbox.clear()
    run(before(30), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "ใบประกาศนียบัตรหลักสูตร “การส่งต่อกรณีความรุนแรง” ของคุณจะหมดอายุวันที่ 3 ธันวาคม 2571"
    assert "หลักสูตรทบทวน “ทบทวนการส่งต่อ”" in message.body


def test_a_certificate_that_enters_the_window_late_gets_only_the_nearest_reminder(
    courses, django_capture_on_commit_callbacks
):
    course, _refresher = courses
    certificate = holder_of(course)
    run(before(10), django_capture_on_commit_callbacks)
    assert [n.context["days"] for n in notices(certificate)] == [14]


def test_no_reminder_for_revoked_or_replaced_certificates_or_erased_people(
    courses, django_capture_on_commit_callbacks
):
    from volunteers.services import volunteer_erase

    course, _refresher = courses
    staff = make_user(group="Staff")
    revoked = holder_of(course)
    certificate_revoke(certificate=revoked, actor=staff, reason="Issued in error")
    replaced = holder_of(course)
    replacement = certificate_reissue(certificate=replaced, actor=staff, reason="Name spelling")
    erased = holder_of(course)
    volunteer_erase(user=erased.volunteer, actor=staff)
    erased.refresh_from_db()
    assert erased.status == Certificate.Status.WITHDRAWN
    for moment in (before(50), before(10), before(-1)):
        run(moment, django_capture_on_commit_callbacks)
    assert notices(revoked) == [] and notices(erased) == []
    # The replacement keeps the expiry; its holder is reminded about it, once per threshold.
    assert [n.context["serial"] for n in notices(replaced)] == [replacement.serial] * 3


def test_a_holder_in_their_quiet_hours_is_told_by_the_first_run_after_they_end(
    courses, django_capture_on_commit_callbacks
):
    course, _refresher = courses
    certificate = holder_of(course, time_zone="Asia/Bangkok")
    NotificationPreferences.objects.create(
        user_id=certificate.volunteer_id, quiet_start_hour=22, quiet_end_hour=7
    )
    quiet = datetime.datetime(2028, 10, 10, 16, 15, tzinfo=UTC)  # 23:15 in Bangkok
    assert run(quiet, django_capture_on_commit_callbacks)["waiting_for_quiet_hours_to_end"] == 1
    assert notices(certificate) == []
    awake = datetime.datetime(2028, 10, 11, 0, 15, tzinfo=UTC)  # 07:15 in Bangkok
    assert run(awake, django_capture_on_commit_callbacks)["expiring"] == 1
    assert len(notices(certificate)) == 1


def test_a_renewed_certificate_is_no_longer_reminded_and_its_successor_starts_afresh(
    courses, django_capture_on_commit_callbacks
):
    from certificates.services import certificate_renew

    course, refresher = courses
    old = holder_of(course)
    run(before(50), django_capture_on_commit_callbacks)
    new = certificate_renew(certificate=old, refresher=refresher, completed_at=before(45))
    run(before(10), django_capture_on_commit_callbacks)
    assert [n.context["serial"] for n in notices(old)] == [old.serial]  # the 60-day one only
    assert new.expiry_notified_days is None and new.valid_until > VALID_UNTIL
