"""Attack: an account that never confirmed its email completes a course and gets a ministry-signed
credential whose identityHash claims that address. Certificates go only to a confirmed address; a
completion made before confirmation is certified when the address is confirmed, once.
"""

import pytest

from certificates.forms import ManualIssueForm
from certificates.models import Certificate
from certificates.openbadges import identity_hash
from certificates.services import CertificateError, certificate_issue, issue_on_email_confirmed
from courses.learning.models import CourseCompletion
from courses.learning.services import course_enrol, lesson_complete
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer
from volunteers.services import email_confirm
from volunteers.tokens import email_confirmation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_and_lesson():
    course, _module, lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    return course, lesson


@pytest.fixture
def unconfirmed():
    return make_volunteer(
        email="someone.else@example.org", given_name_th="ใครก็ได้", email_confirmed=False
    ).user


def complete(volunteer, course, lesson):
    course_enrol(volunteer=volunteer, course=course)
    lesson_complete(volunteer=volunteer, lesson=lesson)
    return CourseCompletion.objects.get(volunteer=volunteer, course=course)


def test_an_unconfirmed_address_completes_a_course_and_gets_no_certificate(course_and_lesson, unconfirmed):
    course, lesson = course_and_lesson
    complete(unconfirmed, course, lesson)
    assert not Certificate.objects.filter(volunteer=unconfirmed).exists()


def test_confirming_the_address_by_its_link_issues_the_pending_certificate_once(
    client, course_and_lesson, unconfirmed
):
    course, lesson = course_and_lesson
    completion = complete(unconfirmed, course, lesson)
    assert not Certificate.objects.filter(volunteer=unconfirmed).exists()
    link = f"/accounts/confirm/{email_confirmation_token(unconfirmed)}/"
    assert client.post(link).status_code == 302
    certificate = Certificate.objects.get(volunteer=unconfirmed, course=course)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.issued_at == completion.completed_at  # dated by the completion, not the click
    identifier = certificate.credential["credentialSubject"]["identifier"][0]
    assert identifier["identityHash"] == identity_hash("someone.else@example.org", identifier["salt"])
    # Following the link again, or the listener running again, issues nothing more.
    client.post(link)
    unconfirmed.refresh_from_db()
    email_confirm(user=unconfirmed)
    issue_on_email_confirmed(user=unconfirmed)
    assert Certificate.objects.filter(volunteer=unconfirmed).count() == 1


def test_a_revoked_certificate_is_not_issued_again_by_a_later_confirmation(course_and_lesson):
    from certificates.services import certificate_revoke

    course, lesson = course_and_lesson
    volunteer = make_volunteer().user
    complete(volunteer, course, lesson)
    certificate_revoke(
        certificate=Certificate.objects.get(volunteer=volunteer),
        actor=make_user(group="Staff"),
        reason="Issued in error",
    )
    assert issue_on_email_confirmed(user=volunteer) == []
    assert Certificate.objects.filter(volunteer=volunteer).count() == 1


def test_staff_cannot_issue_manually_to_an_unconfirmed_address(course_and_lesson, unconfirmed):
    course, _lesson = course_and_lesson
    staff = make_user(group="Staff")
    with pytest.raises(CertificateError):
        certificate_issue(volunteer=unconfirmed, course=course, actor=staff, reason="Paper course")
    form = ManualIssueForm(
        data={"email": unconfirmed.email, "course": course.pk, "reason": "Completed on paper"}
    )
    assert not form.is_valid() and "email" in form.errors
    assert not Certificate.objects.exists()


def test_a_confirmed_volunteer_still_gets_the_certificate_at_completion(client, course_and_lesson):
    course, lesson = course_and_lesson
    volunteer = make_volunteer(email="confirmed@example.org").user
    complete(volunteer, course, lesson)
    assert Certificate.objects.filter(volunteer=volunteer, status=Certificate.Status.VALID).count() == 1
    client.login(email="confirmed@example.org", password=PASSWORD)
    assert (
        Certificate.objects.get(volunteer=volunteer).serial
        in client.get("/learn/certificates/").content.decode()
    )


def test_the_dashboard_tells_an_unconfirmed_volunteer_why_no_certificate_came(
    client, course_and_lesson, unconfirmed
):
    course, lesson = course_and_lesson
    complete(unconfirmed, course, lesson)
    client.login(email=unconfirmed.email, password=PASSWORD)
    waiting = "Your certificate is issued once you confirm your email address"
    assert waiting in client.get("/en/learn/").content.decode()
    client.post(f"/accounts/confirm/{email_confirmation_token(unconfirmed)}/")
    page = client.get("/en/learn/").content.decode()
    assert waiting not in page and "Download certificate (PDF)" in page


def test_the_demo_issues_its_certificates_to_confirmed_addresses(demo):
    """seed_demo's people confirm their addresses first, so every completion of a course that issues
    certificates still has its certificate."""
    completions = CourseCompletion.objects.filter(course__issues_certificate=True).select_related("volunteer")
    assert completions.count() >= 4  # arun, prasert, kanya, pim, lamai and the demo volunteer's
    for completion in completions:
        assert completion.volunteer.email_confirmed_at is not None
        assert Certificate.objects.filter(volunteer=completion.volunteer, course=completion.course).exists()
    assert Certificate.objects.filter(volunteer__email_confirmed_at__isnull=True).count() == 0
