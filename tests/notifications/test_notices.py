"""Transactional notifications: each event gives one email and one line in the notification centre,
after its transaction commits, in the recipient's language, from the ministry."""

import pytest
from django.core import mail
from django.db import transaction

from certificates.models import Certificate
from certificates.services import certificate_reissue, certificate_revoke
from courses.learning.services import course_enrol, lesson_complete
from notifications.models import Notification
from tests.factories import make_course_tree, make_privacy_notice, make_user, make_volunteer
from training.notices import notify
from volunteers import tasks as volunteer_tasks
from volunteers.models import VolunteerProfile
from volunteers.services import email_confirm, volunteer_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course, _module, lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    return course, lesson


def complete(volunteer, course, lesson):
    course_enrol(volunteer=volunteer, course=course)
    lesson_complete(volunteer=volunteer, lesson=lesson)


def test_a_completion_gives_one_email_and_one_notification_with_the_certificate_link(
    course, django_capture_on_commit_callbacks
):
    course, lesson = course
    volunteer = make_volunteer(preferred_language="th").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complete(volunteer, course, lesson)
        # Nothing leaves before the commit.
        assert mail.outbox == [] and not Notification.objects.filter(shown_at__isnull=False).exists()
    certificate = Certificate.objects.get(volunteer=volunteer)
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert "หลักสูตรปฐมนิเทศ" in message.subject
    assert f"/learn/certificates/#certificate-{certificate.serial}" in message.body
    assert "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์" in message.from_email
    html, _type = message.alternatives[0]
    assert f"/learn/certificates/#certificate-{certificate.serial}" in html
    [notification] = Notification.objects.filter(user=volunteer)
    assert notification.kind == "certificate_issued"
    assert notification.shown_at and notification.emailed_at and notification.read_at is None


def test_a_rolled_back_completion_sends_nothing(course, django_capture_on_commit_callbacks):
    course, lesson = course
    volunteer = make_volunteer().user
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        complete(volunteer, course, lesson)
        raise RuntimeError("the request failed after the completion")
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not Certificate.objects.exists()


def test_a_course_without_certificate_tells_of_the_completion_once(
    course, django_capture_on_commit_callbacks
):
    course, lesson = course
    course.issues_certificate = False
    course.save_revision().publish()
    volunteer = make_volunteer().user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complete(volunteer, course, lesson)
    assert [n.kind for n in Notification.objects.filter(user=volunteer)] == ["course_completed"]
    [message] = mail.outbox
    assert course.url in message.body


def test_the_message_is_in_the_recipients_language_not_the_senders(
    course, django_capture_on_commit_callbacks
):
    course, lesson = course
    volunteer = make_volunteer(preferred_language="en").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        complete(volunteer, course, lesson)  # the request is in Thai
    [message] = mail.outbox
    assert message.subject.startswith("You completed")
    assert "/en/learn/certificates/" in message.body
    assert "Ministry of Social Development and Human Security" in message.from_email


def test_a_certificate_staff_issue_by_hand_does_not_claim_a_completion(
    course, django_capture_on_commit_callbacks
):
    from certificates.services import certificate_issue

    course, _lesson = course
    volunteer = make_volunteer(preferred_language="en").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(
            volunteer=volunteer, course=course, actor=make_user(group="Staff"), reason="Trained in person"
        )
    [message] = mail.outbox
    assert message.subject == "Your certificate for “หลักสูตรปฐมนิเทศ” is ready"
    assert "The ministry has issued you a certificate" in message.body
    assert "completed" not in message.subject + message.body


def test_revocation_gives_one_email_and_one_notification_with_the_reason(
    course, django_capture_on_commit_callbacks
):
    course, lesson = course
    volunteer = make_volunteer().user
    with django_capture_on_commit_callbacks(execute=True):
        complete(volunteer, course, lesson)
    certificate = Certificate.objects.get(volunteer=volunteer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="ออกให้ผิดคน")
    [message] = mail.outbox
    assert "ออกให้ผิดคน" in message.body and certificate.serial in message.body
    revoked = Notification.objects.get(user=volunteer, kind="certificate_revoked")
    assert revoked.shown_at and revoked.emailed_at


def test_a_replacement_tells_of_the_new_certificate_and_not_of_a_new_completion(
    course, django_capture_on_commit_callbacks
):
    course, lesson = course
    volunteer = make_volunteer().user
    with django_capture_on_commit_callbacks(execute=True):
        complete(volunteer, course, lesson)
    old = Certificate.objects.get(volunteer=volunteer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=old, actor=make_user(group="Staff"), reason="แก้ไขชื่อ")
    [message] = mail.outbox
    assert new.serial in message.body and old.serial in message.body and "แก้ไขชื่อ" in message.body
    assert sorted(Notification.objects.filter(user=volunteer).values_list("kind", flat=True)) == [
        "certificate_issued",
        "certificate_replaced",
    ]


def test_registration_gives_the_volunteer_number_by_email_and_in_the_centre(
    django_capture_on_commit_callbacks,
):
    profile = make_volunteer(preferred_language="th")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_register(profile=profile, actor=make_user(group="Staff"))
    profile.refresh_from_db()
    [message] = mail.outbox
    assert profile.volunteer_number in message.body
    [notification] = Notification.objects.filter(user=profile.user)
    assert notification.kind == "volunteer_registered" and notification.shown_at and notification.emailed_at


def test_registration_with_an_override_also_lists_what_is_still_to_be_done(
    course, django_capture_on_commit_callbacks
):
    course, _lesson = course
    course.required_for_registration = True
    course.save_revision().publish()
    profile = make_volunteer()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_register(profile=profile, actor=make_user(group="Staff"), override_reason="เรียนที่สถานทูต")
    kinds = set(Notification.objects.filter(user=profile.user).values_list("kind", flat=True))
    assert kinds == {"volunteer_registered", "registration_incomplete"}
    [missing] = [message for message in mail.outbox if "หลักสูตรปฐมนิเทศ" in message.body]
    assert "- หลักสูตรปฐมนิเทศ" in missing.body
    assert len(mail.outbox) == 2


def test_confirming_the_email_address_is_acknowledged(django_capture_on_commit_callbacks):
    profile = make_volunteer(email_confirmed=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email_confirm(user=profile.user)
        email_confirm(user=profile.user)  # a second click changes nothing
    assert list(Notification.objects.filter(user=profile.user).values_list("kind", flat=True)) == [
        "email_confirmed"
    ]
    assert len(mail.outbox) == 1


def test_staff_enrolment_is_a_notification_too(course, django_capture_on_commit_callbacks):
    course, _lesson = course
    volunteer = make_volunteer(preferred_language="en").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        course_enrol(volunteer=volunteer, course=course, actor=make_user(group="Staff"), source="staff")
    [message] = mail.outbox
    assert message.subject == "You are enrolled in “หลักสูตรปฐมนิเทศ”"  # no English course yet: Thai title
    assert Notification.objects.get(user=volunteer).kind == "course_enrolled"


def test_an_inactive_account_gets_the_line_but_no_mail(django_capture_on_commit_callbacks):
    user = make_volunteer().user
    user.is_active = False
    user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user.pk, "email_confirmed", {"link": "/accounts/profile/"})
    assert mail.outbox == []
    assert Notification.objects.get(user=user).emailed_at is None


def test_context_must_be_plain_data():
    user = make_user()
    with pytest.raises(TypeError):
        notify(user.pk, "email_confirmed", {"user": user})
    with pytest.raises(LookupError):
        notify(user.pk, "no_such_kind", {})


def test_a_changed_privacy_notice_tells_everyone_who_accepted_an_older_one_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    make_privacy_notice(version=1)
    accepted = [make_volunteer(consent_version=1).user for _ in range(3)]
    never = make_volunteer(consent_version=None).user
    monkeypatch.setattr(volunteer_tasks, "PRIVACY_NOTICE_BATCH", 2)  # the register is told in steps
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_privacy_notice(version=2)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(user.email for user in accepted)
    assert not Notification.objects.filter(user=never).exists()
    # Run again (a worker crashed and the task is retried): nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert volunteer_tasks.privacy_notice_changed_notify_all.call(version=2) == 3
    assert Notification.objects.filter(kind="privacy_notice_changed").count() == 3
    assert len(mail.outbox) == 3
    # Consenting to the new notice: the next publication of version 2 tells them nothing new.
    VolunteerProfile.objects.filter(user__in=accepted).update(consent_version=2)
    assert volunteer_tasks.privacy_notice_changed_notify_all.call(version=2) == 0
