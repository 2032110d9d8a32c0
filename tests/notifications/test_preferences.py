"""What a person chooses to receive (optional kinds, quiet hours in their own time zone), and the
notifications in their data export and gone after erasure."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from notifications.models import Notification, NotificationPreferences
from tests.factories import make_user, make_volunteer
from training import notices
from training.notices import NoticeKind, in_quiet_window, kind_register, next_allowed, notify
from volunteers.services import volunteer_erase

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def optional_kind(monkeypatch):
    """An optional kind for volunteers, as reminders will be (registered for this test only)."""
    monkeypatch.setattr(notices, "_kinds", dict(notices._kinds))
    kind = NoticeKind(
        name="test_reminder",
        role=notices.VOLUNTEER,
        templates="courses/notices/course_completed",
        label="Reminders about courses you have not finished",
        optional=True,
        link="course_url",
    )
    kind_register(kind)
    return kind


def test_the_choices_page_lists_the_optional_kinds_and_turning_one_off_stops_it(
    client, optional_kind, django_capture_on_commit_callbacks
):
    user = make_volunteer().user
    client.force_login(user)
    page = client.get("/learn/notifications/preferences/").content.decode()
    assert "Reminders about courses you have not finished" in page
    assert 'name="kind_test_reminder" id="id_kind_test_reminder" checked' in page
    # Transactional kinds are not offered.
    assert "kind_certificate_revoked" not in page
    response = client.post(
        "/learn/notifications/preferences/", {"quiet_start_hour": "", "quiet_end_hour": ""}
    )
    assert response.status_code == 302
    # Every box unticked: every optional kind shown to a volunteer is off (the real reminders too).
    assert NotificationPreferences.objects.get(user=user).muted_kinds == [
        "course_reminder",
        "live_session_reminder",
        "run_deadline_soon",
        "test_reminder",
    ]
    context = {"course_title": "หลักสูตร", "course_url": "/courses/x/"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user.pk, "test_reminder", context)
        notify(user.pk, "certificate_revoked", {"course_title": "หลักสูตร", "serial": "S", "reason": "r"})
    assert list(Notification.objects.filter(user=user).values_list("kind", flat=True)) == [
        "certificate_revoked"
    ]
    assert len(mail.outbox) == 1
    # Someone who did not turn it off gets it.
    other = make_volunteer().user
    with django_capture_on_commit_callbacks(execute=True):
        notify(other.pk, "test_reminder", context)
    assert Notification.objects.filter(user=other, kind="test_reminder").exists()


def test_trainers_are_not_offered_kinds_for_volunteers(client, optional_kind):
    client.force_login(make_user(group="Trainers"))
    page = client.get("/learn/notifications/preferences/").content.decode()
    assert "kind_test_reminder" not in page and "kind_course_reminder" not in page
    # Their own: the weekly digest of their courses (not staff's).
    assert "kind_trainer_digest" in page and "kind_staff_digest" not in page


def test_quiet_hours_are_in_the_persons_own_time_zone(client):
    user = make_volunteer(country="NO", time_zone="").user  # Norway: Oslo time from the country
    client.force_login(user)
    page = client.get("/learn/notifications/preferences/").content.decode()
    assert "Europe/Oslo" in page
    response = client.post(
        "/learn/notifications/preferences/", {"quiet_start_hour": "22", "quiet_end_hour": "7"}
    )
    assert response.status_code == 302
    late = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=OSLO)
    noon = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=OSLO)
    assert in_quiet_window(user.pk, late.astimezone(datetime.UTC))
    assert not in_quiet_window(user.pk, noon)
    # 23:30 in Oslo is 05:30 the next day in Bangkok: quiet for an Oslo volunteer, whatever Bangkok says.
    assert next_allowed(user.pk, late) == datetime.datetime(2026, 12, 4, 7, 0, tzinfo=OSLO)
    assert next_allowed(user.pk, noon) == noon
    early = datetime.datetime(2026, 12, 4, 6, 59, tzinfo=OSLO)
    assert next_allowed(user.pk, early) == datetime.datetime(2026, 12, 4, 7, 0, tzinfo=OSLO)


def test_no_quiet_hours_unless_both_ends_are_chosen(client):
    user = make_volunteer().user
    client.force_login(user)
    response = client.post(
        "/learn/notifications/preferences/", {"quiet_start_hour": "22", "quiet_end_hour": ""}
    )
    assert response.status_code == 200
    assert "โปรดเลือกทั้งเวลาเริ่มต้นและเวลาสิ้นสุด" in response.content.decode()
    response = client.post(
        "/learn/notifications/preferences/", {"quiet_start_hour": "99", "quiet_end_hour": "7"}
    )
    assert response.status_code == 200
    assert not NotificationPreferences.objects.filter(user=user).exists()
    assert not in_quiet_window(user.pk, datetime.datetime.now(datetime.UTC))


def test_notifications_are_in_the_data_export_and_gone_after_erasure(
    client, django_capture_on_commit_callbacks
):
    user = make_volunteer().user
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user.pk,
            "volunteer_registered",
            {"volunteer_number": "OV-2026-000123", "link": "/accounts/profile/"},
        )
    NotificationPreferences.objects.create(user=user, quiet_start_hour=22, quiet_end_hour=7)
    client.force_login(user)
    exported = json.loads(client.get("/accounts/profile/my-data.json").content)
    section = exported["data"]["notifications"]
    assert section["notifications"][0]["kind"] == "volunteer_registered"
    assert section["notifications"][0]["details"]["volunteer_number"] == "OV-2026-000123"
    assert section["preferences"]["quiet_from_hour"] == 22
    volunteer_erase(user=user, actor=make_user(group="Staff"))
    assert not Notification.objects.filter(user=user).exists()
    assert not NotificationPreferences.objects.filter(user=user).exists()


def test_unticking_every_box_is_saved_though_the_form_posts_nothing(client, optional_kind):
    user = make_volunteer().user
    client.force_login(user)
    assert client.post("/learn/notifications/preferences/").status_code == 302
    assert NotificationPreferences.objects.get(user=user).muted_kinds == [
        "course_reminder",
        "live_session_reminder",
        "run_deadline_soon",
        "test_reminder",
    ]


def test_a_kind_may_add_headers_to_its_email(monkeypatch, django_capture_on_commit_callbacks):
    """What reminders need for a one-click unsubscribe (RFC 8058)."""
    monkeypatch.setattr(notices, "_kinds", dict(notices._kinds))
    kind_register(
        NoticeKind(
            name="test_digest",
            role=notices.VOLUNTEER,
            templates="courses/notices/course_completed",
            optional=True,
            email_headers=lambda user_id, context: {
                "List-Unsubscribe": f"<https://example.org/unsubscribe/{user_id}/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    )
    user = make_volunteer().user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user.pk, "test_digest", {"course_title": "หลักสูตร"})
    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == f"<https://example.org/unsubscribe/{user.pk}/>"
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
