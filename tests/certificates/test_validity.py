"""Certificates that expire and are renewed. Time is driven forward by patching the clock
(`timezone.now`) or by issuing with a backdated completion, as staff record a course done elsewhere.

A course valid for 24 months gives its certificates `valid_until` (the end of the anniversary day,
Bangkok time), carried as `validUntil` in the signed credential and shown in Thai (Buddhist Era)
and English on the PDF and the verify page. Past it, the certificate verifies as expired (not
revoked) on the verify page, in the credential and with the independent verifier. Completing the
course's refresher course issues a new certificate of the original course that supersedes the old.
"""

import dataclasses
import datetime
import json
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from certificates import credentials, openbadges
from certificates.keys import current_issuer_key
from certificates.models import Certificate
from certificates.pdf import certificate_html
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_renew,
    certificate_revoke,
    printed_certificate,
)
from courses.learning.services import course_completion_record, course_enrol
from courses.models import CoursePage
from tests.certificates.test_openbadges import FACTS, ISSUER
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer
from volunteers.models import VolunteerProfile
from volunteers.registration import registration_lapsed, registration_missing

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 3 December 2026, 20:00 UTC is 4 December 03:00 in Bangkok: the certificate's day is the 4th.
ISSUED = datetime.datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
# Valid through 4 December 2028 (BE 2571), Bangkok time: until 16:59:59 UTC that day.
VALID_UNTIL = datetime.datetime(2028, 12, 4, 16, 59, 59, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@contextmanager
def clock(moment: datetime.datetime):
    """Every `timezone.now()` answers `moment`: the time driven forward."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def valid_course(title="การส่งต่อกรณีความรุนแรง", months=24, **fields):
    course = make_course_tree(title=title)[0]
    CoursePage.objects.filter(pk=course.pk).update(certificate_valid_months=months, **fields)
    course.refresh_from_db()
    return course


@pytest.fixture
def holder():
    return make_volunteer(
        email="holder@example.org", given_name_th="กานติมน", family_name_th="รักษาเกียรติ",
        given_name_en="Kantimon", family_name_en="Raksakiat", phone="+4712345678",
    )  # fmt: skip


@pytest.fixture
def certificate(holder):
    return certificate_issue(volunteer=holder.user, course=valid_course(), completed_at=ISSUED)


def test_the_certificate_is_valid_through_the_anniversary_day_in_bangkok(certificate):
    assert certificate.valid_until == VALID_UNTIL
    assert certificate.snapshot["valid_until_on"] == "2028-12-04"
    assert certificate.credential["validUntil"] == "2028-12-04T16:59:59Z"
    assert certificate.credential["validFrom"] == "2026-12-03T20:00:00Z"


def test_a_course_without_a_validity_period_issues_certificates_that_never_expire(holder):
    course = make_course_tree(title="ไม่หมดอายุ")[0]
    certificate = certificate_issue(volunteer=holder.user, course=course)
    assert certificate.valid_until is None and "validUntil" not in certificate.credential
    assert certificate.public_status == "valid"


def test_the_credential_with_valid_until_still_verifies_with_the_issuer_key(certificate):
    public_key = credentials.public_key_from_multibase(current_issuer_key().public_key_multibase)
    credentials.verify(certificate.credential, public_key)


def test_the_pdf_prints_the_expiry_in_thai_buddhist_era_and_in_english(certificate):
    html = certificate_html(printed_certificate(certificate))
    assert "ใช้ได้ถึงวันที่ 4 ธันวาคม 2571" in html
    assert "Valid until 4 December 2028" in html


def test_the_verify_page_shows_the_expiry_in_both_languages_while_valid(client, certificate):
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "This certificate is valid" in html
    assert "ใช้ได้ถึงวันที่" in html and "4 ธันวาคม 2571" in html
    assert "Valid until" in html and "4 December 2028" in html


def test_past_valid_until_the_verify_page_says_expired_not_revoked_without_a_cache_bust(
    client, certificate, django_assert_num_queries
):
    with clock(VALID_UNTIL - datetime.timedelta(days=1)):
        html = client.get(f"/verify/{certificate.token}/").content.decode()  # cached as valid
        assert "This certificate is valid" in html
        with django_assert_num_queries(1):
            client.get(f"/verify/{certificate.token}/")
    with clock(VALID_UNTIL + datetime.timedelta(seconds=1)):
        with django_assert_num_queries(2):  # the state says expired: the cached page is not used
            html = client.get(f"/verify/{certificate.token}/").content.decode()
        assert "ใบประกาศนียบัตรนี้หมดอายุแล้ว" in html and "This certificate has expired" in html
        assert "verify--expired" in html
        assert "revoked" not in html and "ถูกต้อง" not in html
        with django_assert_num_queries(1):  # and the expired page is cached in turn
            html = client.get(f"/verify/{certificate.token}/").content.decode()
        assert "This certificate has expired" in html
    # Expired is not revoked: the status list leaves its bit clear.
    status_list = client.get("/certificates/status/revocation.json").json()
    assert not credentials.status_list_is_set(
        status_list["credentialSubject"]["encodedList"], certificate.status_index
    )


def test_the_expired_verify_page_shows_no_more_about_the_person_than_a_valid_one(client, certificate):
    with clock(VALID_UNTIL + datetime.timedelta(days=1)):
        html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "holder@example.org" not in html and "+4712345678" not in html
    assert f"/{certificate.volunteer_id}/" not in html


def test_the_json_credential_says_valid_until_in_the_past_once_expired(client, certificate):
    with clock(VALID_UNTIL + datetime.timedelta(days=1)):
        document = client.get(f"/verify/{certificate.token}.json").json()
    valid_until = datetime.datetime.fromisoformat(document["validUntil"].replace("Z", "+00:00"))
    assert valid_until < VALID_UNTIL + datetime.timedelta(days=1)
    with pytest.raises(openbadges.CredentialExpired):
        openbadges.verify_credential_validity(document, now=VALID_UNTIL + datetime.timedelta(days=1))
    openbadges.verify_credential_validity(document, now=VALID_UNTIL - datetime.timedelta(days=1))


def test_the_independent_verifier_says_expired(client, certificate, tmp_path, capsys):
    credential = client.get(f"/verify/{certificate.token}.json").json()
    profile = client.get("/certificates/issuer.json").json()
    status = client.get("/certificates/status/revocation.json").json()
    paths = {}
    for name, document in (("credential", credential), ("issuer", profile), ("status", status)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(document))
    arguments = [str(paths["credential"])]
    options = {"issuer": str(paths["issuer"]), "status": str(paths["status"])}
    with clock(VALID_UNTIL - datetime.timedelta(days=1)):
        call_command("certificate_verify", *arguments, **options)
        assert "VALID" in capsys.readouterr().out
    expired = pytest.raises(CommandError, match=r"^EXPIRED: .*2028-12-04T16:59:59Z")
    with clock(VALID_UNTIL + datetime.timedelta(days=1)), expired:
        call_command("certificate_verify", *arguments, **options)


def test_a_revoked_credential_reads_as_revoked_even_once_expired():
    key = credentials.generate_private_key()
    facts = dataclasses.replace(FACTS, valid_until=FACTS.issued_at + datetime.timedelta(days=1))
    method = f"{ISSUER.profile_url}#key-1"
    credential = credentials.sign(
        openbadges.completion_credential(ISSUER, facts),
        key,
        verification_method=method,
        created="2026-11-25T00:00:00Z",
    )
    status = credentials.sign(
        openbadges.status_list_credential(
            ISSUER,
            url=facts.status_list_url,
            encoded_list=credentials.status_list_encode({facts.status_index}),
            valid_from=facts.issued_at,
        ),
        key,
        verification_method=method,
        created="2026-11-25T00:00:00Z",
    )
    multibase = credentials.public_key_to_multibase(key.public_key())
    profile = openbadges.issuer_profile(ISSUER, [("key-1", multibase)])
    with pytest.raises(openbadges.CredentialInvalid) as raised:
        openbadges.verify_credential(
            credential,
            profile,
            status,
            trusted_issuers=[ISSUER.profile_url],
            now=facts.issued_at + datetime.timedelta(days=30),
        )
    assert not isinstance(raised.value, openbadges.CredentialExpired)
    assert "revoked" in str(raised.value)


def test_a_re_issue_keeps_the_expiry_a_name_correction_does_not_extend_it(certificate):
    new = certificate_reissue(certificate=certificate, actor=make_user(group="Staff"), reason="Name spelling")
    assert new.valid_until == VALID_UNTIL
    assert new.renews_serial == ""


# --- renewal by the refresher course ------------------------------------------------------------


@pytest.fixture
def courses():
    refresher = make_course_tree(title="ทบทวนการส่งต่อ (หลักสูตรทบทวน)")[0]
    original = valid_course(refresher_course=refresher)
    return original, refresher


def complete(volunteer, course, when):
    course_enrol(volunteer=volunteer, course=course)
    with clock(when):
        course_completion_record(volunteer=volunteer, course=course, completed_at=when)


def test_completing_the_refresher_issues_a_new_certificate_of_the_original_course_that_supersedes_the_old(
    client, holder, courses, django_capture_on_commit_callbacks
):
    original, refresher = courses
    old = certificate_issue(volunteer=holder.user, course=original, completed_at=ISSUED)
    renewed_at = VALID_UNTIL + datetime.timedelta(days=3)  # renewed after it expired
    with django_capture_on_commit_callbacks(execute=True):
        complete(holder.user, refresher, renewed_at)
    old.refresh_from_db()
    new = Certificate.objects.get(volunteer=holder.user, status=Certificate.Status.VALID)
    assert new.course == original and new.course_title_th == original.title
    assert new.renews_serial == old.serial
    assert new.refresher_titles["th"] == refresher.title
    assert new.issued_at == renewed_at
    assert new.valid_until == datetime.datetime(2030, 12, 7, 16, 59, 59, tzinfo=UTC)  # 24 months on
    assert new.credential["validUntil"] == "2030-12-07T16:59:59Z"
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    # The refresher gives no certificate of its own to someone who renewed with it.
    assert not Certificate.objects.filter(volunteer=holder.user, course=refresher).exists()
    # The old one's verify page says it was renewed and leads to the new one's.
    with clock(renewed_at):
        html = client.get(f"/verify/{old.token}/").content.decode()
        assert "This certificate was renewed by a newer one" in html
        assert f'href="/verify/{new.grouped_token}/"' in html
        new_html = client.get(f"/verify/{new.token}/").content.decode()
    assert "This certificate is valid" in new_html and old.serial in new_html
    # And its holder is told, in the notification centre.
    from notifications.models import Notification

    assert Notification.objects.filter(user=holder.user, kind="certificate_renewed").count() == 1


def test_the_old_page_with_its_successor_still_costs_two_queries_then_one(
    client, holder, courses, django_assert_num_queries
):
    original, refresher = courses
    old = certificate_issue(volunteer=holder.user, course=original, completed_at=ISSUED)
    certificate_renew(certificate=old, refresher=refresher, completed_at=timezone.now())
    with django_assert_num_queries(2):  # the state, then the certificate with its successor
        assert client.get(f"/verify/{old.token}/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/verify/{old.token}/").status_code == 200


def test_a_refresher_completed_without_the_original_certificate_issues_its_own(holder, courses):
    original, refresher = courses
    complete(holder.user, refresher, timezone.now())
    certificate = Certificate.objects.get(volunteer=holder.user)
    assert certificate.course == refresher and certificate.renews_serial == ""
    assert not Certificate.objects.filter(course=original).exists()


def test_a_revoked_original_is_not_renewed(holder, courses):
    original, refresher = courses
    old = certificate_issue(volunteer=holder.user, course=original, completed_at=ISSUED)
    certificate_revoke(certificate=old, actor=make_user(group="Staff"), reason="Issued in error")
    complete(holder.user, refresher, timezone.now())
    old.refresh_from_db()
    assert old.status == Certificate.Status.REVOKED and old.superseded_by is None
    assert Certificate.objects.get(volunteer=holder.user, status=Certificate.Status.VALID).course == refresher


# --- the holder's page ----------------------------------------------------------------------------


def test_my_certificates_shows_an_expired_certificate_as_expired_and_offers_the_refresher(
    client, holder, courses
):
    original, refresher = courses
    certificate = certificate_issue(volunteer=holder.user, course=original, completed_at=ISSUED)

    def page(days: int) -> str:
        with clock(VALID_UNTIL + datetime.timedelta(days=days)):  # signed in then, as people are
            client.login(email="holder@example.org", password=PASSWORD)
            return client.get("/learn/certificates/").content.decode()

    html = page(-200)
    assert "certificate-card--valid" in html and refresher.url not in html  # not yet due
    html = page(-30)
    assert "certificate-card--valid" in html and refresher.url in html  # renew before it lapses
    html = page(1)
    assert "certificate-card--expired" in html and "certificate-card--valid" not in html
    assert refresher.url in html
    # Nothing that looks valid: no PDF, no share link, no name switch.
    assert f"/certificates/{certificate.token}.pdf" not in html
    assert f"/learn/certificates/{certificate.token}/visibility/" not in html


def test_another_volunteer_sees_nothing_of_someone_elses_expiring_certificate(client, holder, courses):
    original, _refresher = courses
    certificate = certificate_issue(volunteer=holder.user, course=original, completed_at=ISSUED)
    other = make_volunteer(email="other@example.org")
    with clock(VALID_UNTIL - datetime.timedelta(days=30)):
        client.login(email=other.user.email, password=PASSWORD)
        html = client.get("/learn/certificates/").content.decode()
        assert certificate.serial not in html and "certificate-card" not in html
        assert client.get(f"/certificates/{certificate.token}.pdf").status_code == 404


# --- registration requirements --------------------------------------------------------------------


def test_a_registered_volunteer_whose_required_certificate_expired_is_flagged_not_deregistered(
    client, holder
):
    from volunteers.services import volunteer_register

    required = valid_course(title="ปฐมนิเทศ", required_for_registration=True)
    complete(holder.user, required, ISSUED)
    staff = make_user(group="Staff")
    volunteer_register(profile=holder, actor=staff)
    holder.refresh_from_db()
    assert holder.status == VolunteerProfile.Status.REGISTERED
    assert registration_lapsed(holder) == []
    with clock(VALID_UNTIL + datetime.timedelta(days=1)):
        client.login(email=staff.email, password=PASSWORD)
        lapsed = registration_lapsed(holder)
        assert len(lapsed) == 1 and "ปฐมนิเทศ" in lapsed[0]
        page = client.get(f"/admin/volunteers/people/inspect/{holder.pk}/").content.decode()
        assert 'id="registration-lapsed"' in page and "ปฐมนิเทศ" in page
        # The certificates section says until when it was valid (Bangkok calendar).
        assert "4 ธันวาคม 2571" in page or "4 December 2028" in page
    holder.refresh_from_db()
    assert holder.status == VolunteerProfile.Status.REGISTERED  # flagged, still registered


def test_an_applicant_whose_required_certificate_expired_needs_a_reason_to_register(holder):
    required = valid_course(title="ปฐมนิเทศ", required_for_registration=True)
    complete(holder.user, required, ISSUED)
    assert registration_missing(holder) == []
    with clock(VALID_UNTIL + datetime.timedelta(days=1)):
        missing = registration_missing(holder)
    assert len(missing) == 1 and "ปฐมนิเทศ" in missing[0]


def test_the_renewal_clears_the_flag(holder):
    refresher = make_course_tree(title="ทบทวน")[0]
    required = valid_course(title="ปฐมนิเทศ", required_for_registration=True, refresher_course=refresher)
    complete(holder.user, required, ISSUED)
    complete(holder.user, refresher, VALID_UNTIL + datetime.timedelta(days=2))
    with clock(VALID_UNTIL + datetime.timedelta(days=3)):
        assert registration_lapsed(holder) == []


def test_the_completions_report_says_expired_and_until_when(client, holder):
    from django.conf import settings
    from django.utils import translation

    required = valid_course(title="ปฐมนิเทศ")
    complete(holder.user, required, ISSUED)
    staff = make_user(group="Staff")
    with clock(VALID_UNTIL + datetime.timedelta(days=1)):
        client.login(email=staff.email, password=PASSWORD)
        html = client.get("/admin/reports/completions/").content.decode()
    with translation.override(settings.LANGUAGE_CODE):
        assert translation.gettext("Expired") in html
    assert "4 ธ.ค. 2571" in html


# --- the course setting ---------------------------------------------------------------------------


def test_the_course_editor_offers_the_validity_period_and_the_refresher_course(client):
    from django.core.exceptions import ValidationError

    course = make_course_tree(title="ปฐมนิเทศ")[0]
    admin = make_user(is_superuser=True, is_staff=True)
    client.login(email=admin.email, password=PASSWORD)
    html = client.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert 'name="certificate_valid_months"' in html and 'name="refresher_course"' in html
    course.refresher_course = course
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    assert "refresher_course" in raised.value.message_dict
    course.refresher_course, course.certificate_valid_months = None, 0
    with pytest.raises(ValidationError) as raised:
        course.full_clean()
    assert "certificate_valid_months" in raised.value.message_dict


def test_staff_issuing_manually_to_the_holder_of_an_expired_certificate_renew_it(holder):
    course = valid_course()
    old = certificate_issue(volunteer=holder.user, course=course, completed_at=ISSUED)
    staff = make_user(group="Staff")
    still_valid = certificate_issue(volunteer=holder.user, course=course, actor=staff, reason="Classroom")
    assert still_valid == old  # not expired yet: the valid one is shown instead
    later = VALID_UNTIL + datetime.timedelta(days=10)
    with clock(later):
        new = certificate_issue(
            volunteer=holder.user, course=course, completed_at=later, actor=staff, reason="Refresher in Oslo"
        )
    old.refresh_from_db()
    assert new != old and new.renews_serial == old.serial and new.issued_by == staff
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    assert new.valid_until > later


def test_the_holders_data_export_says_until_when_each_certificate_is_valid(certificate):
    from certificates.privacy_providers import export_certificates

    [exported] = export_certificates(certificate.volunteer)["certificates"]
    assert exported["valid_until"] == VALID_UNTIL.isoformat() and exported["renews_serial"] == ""
