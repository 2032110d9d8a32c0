"""Organisation leaders (issue 22): staff appoint them; a volunteer's choice of organisation is a request
until a leader confirms it; a leader sees only their confirmed members' training, exports it
neutralised, and every look is in the audit log; applicants are endorsed (or declined with a reason)
before staff register them, and staff register without an endorsement only with a reason."""

import csv
import io
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.learning.services import course_enrol, lesson_complete
from notifications.models import Notification
from tests.factories import (
    make_course_tree,
    make_organization,
    make_privacy_notice,
    make_user,
    make_volunteer,
)
from training.middleware import LAST_ACTIVITY_KEY
from volunteers import memberships, services
from volunteers.models import OrganizationLeader, VolunteerProfile
from volunteers.registration import registration_missing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def notice():
    make_privacy_notice(version=1)


def _leader_of(organization, **fields):
    leader = make_volunteer(given_name_th="ผู้นำ", family_name_th="องค์กร", **fields)
    staff = make_user(group="Staff")
    memberships.organization_leader_appoint(organization=organization, user=leader.user, actor=staff)
    return leader


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _apply(profile, organization):
    """The applicant names the organisation on their profile, as the profile form does."""
    return services.volunteer_profile_update(profile=profile, data={"organization": organization})


def _member(organization, leader, **fields):
    profile = make_volunteer(**fields)
    _apply(profile, organization)
    return memberships.membership_confirm(profile=profile, organization=organization, leader=leader.user)


def _detail(organization) -> str:
    return reverse("organisation_detail", args=[organization.pk])


# --- Membership and endorsement --------------------------------------------------------------------


def test_naming_an_organisation_with_a_leader_asks_the_leader_to_endorse():
    organization = make_organization()
    leader = _leader_of(organization)
    applicant = make_volunteer(given_name_th="สมหญิง")
    _apply(applicant, organization)
    applicant.refresh_from_db()
    assert applicant.membership_status == VolunteerProfile.Membership.REQUESTED
    assert Notification.objects.filter(user=leader.user, kind="endorsement_requested").count() == 1
    assert registration_missing(applicant) == ["การรับรองจากผู้นำองค์กร"]


def test_an_organisation_without_a_leader_sends_its_applicants_straight_to_staff():
    organization = make_organization()
    applicant = make_volunteer()
    _apply(applicant, organization)
    assert registration_missing(applicant) == []
    assert not Notification.objects.filter(kind="endorsement_requested").exists()


def test_endorsing_confirms_the_membership_tells_the_applicant_and_is_logged():
    organization = make_organization()
    leader = _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    response = _signed_in(leader.user).post(
        reverse("organisation_request_confirm", args=[organization.pk, applicant.pk])
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.endorsement == VolunteerProfile.Endorsement.ENDORSED
    assert applicant.endorsement_by == leader.user and applicant.endorsement_at is not None
    assert applicant.membership_status == VolunteerProfile.Membership.CONFIRMED
    assert applicant.membership_decided_by == leader.user
    assert Notification.objects.filter(user=applicant.user, kind="endorsement_given").exists()
    assert ModelLogEntry.objects.for_instance(applicant).filter(action="volunteers.endorse").exists()
    assert registration_missing(applicant) == []


def test_declining_needs_a_reason_which_the_applicant_and_staff_read():
    organization = make_organization()
    leader = _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    client = _signed_in(leader.user)
    url = reverse("organisation_request_decline", args=[organization.pk, applicant.pk])
    assert client.post(url, {"reason": "  "}).status_code == 400
    applicant.refresh_from_db()
    assert applicant.endorsement == VolunteerProfile.Endorsement.NONE
    assert client.post(url, {"reason": "ไม่รู้จักบุคคลนี้"}).status_code == 302
    applicant.refresh_from_db()
    assert applicant.endorsement == VolunteerProfile.Endorsement.DECLINED
    assert applicant.membership_status == VolunteerProfile.Membership.DECLINED
    notification = Notification.objects.get(user=applicant.user, kind="endorsement_declined")
    assert notification.context["reason"] == "ไม่รู้จักบุคคลนี้"
    assert "ไม่รู้จักบุคคลนี้" in registration_missing(applicant)[0]
    staff = _signed_in(make_user(group="Staff"))
    record = staff.get(f"/admin/volunteers/people/inspect/{applicant.pk}/")
    assert record.status_code == 200
    # Who declined, by name (the record section), and why.
    assert "ไม่รู้จักบุคคลนี้" in record.content.decode()
    assert "ผู้นำ องค์กร" in record.content.decode()


def test_staff_register_without_the_endorsement_only_with_a_reason_kept_in_the_log():
    organization = make_organization()
    _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    staff = make_user(group="Staff")
    with pytest.raises(services.RegistrationRequirementsMissing):
        services.volunteer_register(profile=applicant, actor=staff)
    assert services.volunteer_register(profile=applicant, actor=staff, override_reason="ผู้นำไม่อยู่")
    entry = ModelLogEntry.objects.for_instance(applicant).get(action="volunteers.register")
    assert entry.data["override_reason"] == "ผู้นำไม่อยู่"
    assert entry.data["missing"] == ["การรับรองจากผู้นำองค์กร"]


def test_the_bulk_register_page_asks_for_a_reason_when_the_endorsement_is_missing():
    organization = make_organization()
    _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    staff = _signed_in(make_user(group="Staff"))
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "register"])
    response = staff.post(f"{url}?id={applicant.pk}", {"override_reason": ""})
    applicant.refresh_from_db()
    assert applicant.status == VolunteerProfile.Status.APPLICANT
    assert "การรับรองจากองค์กร" in response.content.decode()  # "... or their organisation's endorsement"


def test_a_registered_volunteer_who_names_the_organisation_is_a_membership_request_to_confirm():
    organization = make_organization()
    leader = _leader_of(organization)
    volunteer = make_volunteer(
        status="registered", volunteer_number="OV-1", registered_at="2026-01-01T00:00Z"
    )
    _apply(volunteer, organization)
    client = _signed_in(leader.user)
    assert (
        client.post(reverse("organisation_request_confirm", args=[organization.pk, volunteer.pk])).status_code
        == 302
    )
    volunteer.refresh_from_db()
    assert volunteer.membership_status == VolunteerProfile.Membership.CONFIRMED
    assert volunteer.endorsement == VolunteerProfile.Endorsement.NONE


def test_choosing_another_organisation_starts_a_new_request():
    organization, other = make_organization(), make_organization()
    leader = _leader_of(organization)
    member = _member(organization, leader)
    _apply(member, other)
    member.refresh_from_db()
    assert member.membership_status == VolunteerProfile.Membership.REQUESTED
    assert member.endorsement == VolunteerProfile.Endorsement.NONE and member.membership_decided_by is None


def test_a_decided_request_cannot_be_decided_again():
    organization = make_organization()
    leader = _leader_of(organization)
    member = _member(organization, leader)
    response = _signed_in(leader.user).post(
        reverse("organisation_request_decline", args=[organization.pk, member.pk])
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.membership_status == VolunteerProfile.Membership.CONFIRMED


def test_leader_relation_is_unique_and_appointing_twice_changes_nothing():
    organization = make_organization()
    leader = _leader_of(organization)
    staff = make_user(group="Staff")
    assert not memberships.organization_leader_appoint(
        organization=organization, user=leader.user, actor=staff
    )
    assert OrganizationLeader.objects.filter(organization=organization).count() == 1


# --- What the leader sees ----------------------------------------------------------------------------


def test_the_leader_sees_members_courses_and_certificates_but_requests_by_name_only():
    organization = make_organization()
    leader = _leader_of(organization)
    course, _module, lesson = make_course_tree(title="หลักสูตรพื้นฐาน")
    ongoing, _module2, _lesson2 = make_course_tree(title="หลักสูตรต่อเนื่อง")
    member = _member(
        organization, leader, given_name_th="สมชาย", phone="+4790000001", email="somchai@example.org"
    )
    course_enrol(volunteer=member.user, course=course)
    lesson_complete(volunteer=member.user, lesson=lesson)
    course_enrol(volunteer=member.user, course=ongoing)
    pending = make_volunteer(given_name_th="รอยืนยัน", email="pending.person@example.org", phone="+4790000002")
    _apply(pending, organization)
    body = _signed_in(leader.user).get(_detail(organization)).content.decode()
    assert "สมชาย" in body and "หลักสูตรพื้นฐาน" in body and "หลักสูตรต่อเนื่อง" in body
    # The certificate the completion issued, with its state (valid, without an expiry here).
    assert Certificate.objects.filter(volunteer=member.user).exists()
    assert "หลักสูตรพื้นฐาน: ใช้ได้" in body
    assert "หลักสูตรพื้นฐาน (เรียนจบเมื่อ" in body
    assert "รอยืนยัน" in body
    # No contact details without the member's agreement, and nothing but a requester's name.
    for secret in ("+4790000001", "somchai@example.org", "+4790000002", "pending.person@example.org"):
        assert secret not in body


def test_contact_details_show_once_the_member_agreed_on_their_profile():
    organization = make_organization()
    leader = _leader_of(organization)
    member = _member(organization, leader, phone="+4790000003", email="agreed@example.org")
    services.volunteer_profile_update(profile=member, data={"share_contact_with_leaders": True})
    body = _signed_in(leader.user).get(_detail(organization)).content.decode()
    assert "+4790000003" in body and "agreed@example.org" in body


def test_a_revoked_certificate_shows_as_revoked_never_with_its_reason():
    organization = make_organization()
    leader = _leader_of(organization)
    course, _module, lesson = make_course_tree(title="หลักสูตรเพิกถอน")
    member = _member(organization, leader)
    course_enrol(volunteer=member.user, course=course)
    lesson_complete(volunteer=member.user, lesson=lesson)
    certificate = Certificate.objects.get(volunteer=member.user)
    certificate_revoke(certificate=certificate, actor=make_user(group="Staff"), reason="REASON-SECRET-42")
    client = _signed_in(leader.user)
    body = client.get(_detail(organization)).content.decode()
    assert "REASON-SECRET-42" not in body
    assert "หลักสูตรเพิกถอน: ถูกเพิกถอนแล้ว" in body
    for export_format in ("csv", "xlsx"):
        response = client.get(reverse("organisation_export", args=[organization.pk, export_format]))
        assert b"REASON-SECRET-42" not in response.content


def test_every_look_at_member_data_is_in_the_audit_log():
    organization = make_organization()
    leader = _leader_of(organization)
    _member(organization, leader)
    client = _signed_in(leader.user)
    client.get(_detail(organization))
    client.get(reverse("organisation_export", args=[organization.pk, "csv"]))
    client.get(reverse("organisation_export", args=[organization.pk, "xlsx"]))
    entries = ModelLogEntry.objects.for_instance(organization).filter(action="volunteers.members_view")
    assert sorted(entry.data["what"] for entry in entries) == ["csv", "page", "xlsx"]
    assert {entry.user_id for entry in entries} == {leader.user.pk}


def test_the_member_list_costs_the_same_queries_for_two_members_or_eight():
    organization = make_organization()
    leader = _leader_of(organization)
    course, _module, lesson = make_course_tree(title="หลักสูตรนับ")
    client = _signed_in(leader.user)

    def add_members(count):
        for _index in range(count):
            member = _member(organization, leader)
            course_enrol(volunteer=member.user, course=course)
            lesson_complete(volunteer=member.user, lesson=lesson)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_detail(organization)).status_code == 200
        return len(captured)

    add_members(2)
    client.get(_detail(organization))  # caches warm
    few = queries()
    add_members(6)
    assert queries() == few
    assert few <= 16  # 14 today: session, user, leader checks, members, requests, three columns, the log


def test_exports_are_neutralised_against_formulas():
    organization = make_organization()
    leader = _leader_of(organization)
    _member(organization, leader, given_name_th='=HYPERLINK("http://evil")', family_name_th="+1")
    client = _signed_in(leader.user)
    response = client.get(reverse("organisation_export", args=[organization.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=HYPERLINK")
    response = client.get(reverse("organisation_export", args=[organization.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_an_unknown_export_format_is_a_404():
    organization = make_organization()
    leader = _leader_of(organization)
    response = _signed_in(leader.user).get(reverse("organisation_export", args=[organization.pk, "json"]))
    assert response.status_code == 404


# --- Attacks -----------------------------------------------------------------------------------------


def test_a_leader_of_a_gets_404_on_everything_of_b():
    a, b = make_organization(), make_organization()
    leader_a = _leader_of(a)
    leader_b = _leader_of(b)
    member_b = _member(b, leader_b, given_name_th="สมาชิกบี")
    pending_b = make_volunteer(given_name_th="คำขอบี")
    _apply(pending_b, b)
    client = _signed_in(leader_a.user)
    assert client.get(_detail(b)).status_code == 404
    for export_format in ("csv", "xlsx"):
        assert client.get(reverse("organisation_export", args=[b.pk, export_format])).status_code == 404
    for name in ("organisation_request_confirm", "organisation_request_decline"):
        # B's organisation in the URL, or B's person under A's organisation: both unknown to A.
        assert client.post(reverse(name, args=[b.pk, pending_b.pk])).status_code == 404
        assert client.post(reverse(name, args=[a.pk, pending_b.pk]), {"reason": "x"}).status_code == 404
    assert (
        client.get(reverse("organisation_request_decline_form", args=[a.pk, pending_b.pk])).status_code == 404
    )
    pending_b.refresh_from_db()
    assert pending_b.membership_status == VolunteerProfile.Membership.REQUESTED
    body = client.get(_detail(a)).content.decode()
    assert "สมาชิกบี" not in body and "คำขอบี" not in body
    assert not ModelLogEntry.objects.for_instance(b).filter(user=leader_a.user).exists()
    assert member_b.membership_status == VolunteerProfile.Membership.CONFIRMED


def test_a_volunteer_who_leads_nothing_and_a_stranger_see_nothing():
    organization = make_organization()
    leader = _leader_of(organization)
    _member(organization, leader)
    volunteer = make_volunteer()
    client = _signed_in(volunteer.user)
    for url in (reverse("organisation_home"), _detail(organization), reverse("account_two_factor_verify")):
        assert client.get(url).status_code == 404
    stranger = Client()
    response = stranger.get(_detail(organization))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stranger.get(reverse("account_two_factor_verify")).status_code == 302


def test_a_volunteer_cannot_confirm_their_own_request():
    organization = make_organization()
    _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    client = _signed_in(applicant.user)
    assert (
        client.post(reverse("organisation_request_confirm", args=[organization.pk, applicant.pk])).status_code
        == 404
    )
    applicant.refresh_from_db()
    assert applicant.endorsement == VolunteerProfile.Endorsement.NONE


def test_a_declined_member_or_a_requester_is_never_shown_with_their_training():
    organization = make_organization()
    leader = _leader_of(organization)
    course, _module, _lesson = make_course_tree(title="หลักสูตรลับ")
    requester = make_volunteer(
        given_name_th="ผู้ขอ", status="registered", volunteer_number="OV-9", registered_at="2026-01-01T00:00Z"
    )
    course_enrol(volunteer=requester.user, course=course)
    _apply(requester, organization)
    body = _signed_in(leader.user).get(_detail(organization)).content.decode()
    assert "ผู้ขอ" in body and "หลักสูตรลับ" not in body


def test_the_member_sees_who_can_see_their_progress():
    organization = make_organization()
    leader = _leader_of(organization)
    member = make_volunteer()
    _apply(member, organization)
    client = _signed_in(member.user)
    assert "ผู้นำ องค์กร" not in client.get(reverse("account_profile")).content.decode()
    memberships.membership_confirm(profile=member, organization=organization, leader=leader.user)
    assert "ผู้นำ องค์กร" in client.get(reverse("account_profile")).content.decode()


# --- Two-step verification and the idle timeout ------------------------------------------------------


def test_a_leader_with_an_authenticator_app_gives_its_code_before_the_area_opens():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    organization = make_organization()
    leader = _leader_of(organization)
    TOTPDevice.objects.create(user=leader.user, name="phone", confirmed=True)
    client = _signed_in(leader.user)
    response = client.get(_detail(organization))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_two_factor_verify"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("account_two_factor_verify") in page.content.decode()


def test_leaders_must_set_up_two_step_verification_where_it_is_required(settings):
    settings.ADMIN_2FA_REQUIRED = True
    organization = make_organization()
    leader = _leader_of(organization)
    client = _signed_in(leader.user)
    response = client.get(_detail(organization))
    assert response["Location"].startswith(reverse("account_two_factor_setup"))
    assert client.get(response["Location"]).status_code == 200


def test_a_leader_idle_for_longer_than_the_timeout_is_signed_out(settings):
    organization = make_organization()
    leader = _leader_of(organization)
    client = _signed_in(leader.user)
    assert client.get(_detail(organization)).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - settings.ADMIN_IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get(_detail(organization))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_leader_signing_in_gets_the_idle_timeout_from_the_start():
    organization = make_organization()
    leader = _leader_of(organization)
    leader.user.set_password("a-long-password-1")
    leader.user.save()
    client = Client()
    client.post(reverse("account_login"), {"username": leader.user.email, "password": "a-long-password-1"})
    assert client.session.get("leader_access") is True


# --- Staff keep the leaders ------------------------------------------------------------------------


def test_staff_appoint_and_remove_leaders_in_the_admin_and_it_is_logged():
    organization = make_organization()
    person = make_volunteer(email="new.leader@example.org")
    staff = _signed_in(make_user(group="Staff"))
    url = reverse("volunteers_organisation_leaders", args=[organization.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"email": "nobody@example.org"}).status_code == 400
    assert staff.post(url, {"email": "NEW.leader@example.org"}).status_code == 302
    assert OrganizationLeader.objects.filter(organization=organization, user=person.user).exists()
    assert staff.post(url, {"remove": str(person.user.pk)}).status_code == 302
    assert not OrganizationLeader.objects.filter(organization=organization).exists()
    actions = set(ModelLogEntry.objects.for_instance(organization).values_list("action", flat=True))
    assert {"volunteers.leader_appoint", "volunteers.leader_remove"} <= actions


def test_trainers_and_volunteers_cannot_appoint_leaders():
    organization = make_organization()
    url = reverse("volunteers_organisation_leaders", args=[organization.pk])
    trainer = _signed_in(make_user(group="Trainers"))
    trainer.post(url, {"email": "x@example.org"})
    volunteer = make_volunteer()
    _signed_in(volunteer.user).post(url, {"email": volunteer.user.email})
    assert not OrganizationLeader.objects.exists()


def test_a_leader_who_applies_cannot_endorse_their_own_application():
    organization = make_organization()
    staff = make_user(group="Staff")
    applicant = make_volunteer(given_name_th="ผู้นำสมัครเอง")
    memberships.organization_leader_appoint(organization=organization, user=applicant.user, actor=staff)
    _apply(applicant, organization)
    client = _signed_in(applicant.user)
    response = client.post(
        reverse("organisation_request_confirm", args=[organization.pk, applicant.pk]), follow=True
    )
    assert "ท่านตัดสินใบสมัครของตนเองไม่ได้" in response.content.decode()
    client.post(
        reverse("organisation_request_decline", args=[organization.pk, applicant.pk]), {"reason": "x"}
    )
    applicant.refresh_from_db()
    assert applicant.endorsement == VolunteerProfile.Endorsement.NONE
    assert applicant.membership_status == VolunteerProfile.Membership.REQUESTED
    assert registration_missing(applicant) == ["การรับรองจากผู้นำองค์กร"]


def test_a_leader_of_two_organisations_chooses_between_them_and_one_leads_straight_to_it():
    first, second = make_organization(name_th="องค์กรแรก"), make_organization(name_th="องค์กรที่สอง")
    leader = _leader_of(first)
    client = _signed_in(leader.user)
    response = client.get(reverse("organisation_home"))
    assert response.status_code == 302 and response["Location"] == _detail(first)
    memberships.organization_leader_appoint(
        organization=second, user=leader.user, actor=make_user(group="Staff")
    )
    body = client.get(reverse("organisation_home")).content.decode()
    assert _detail(first) in body and _detail(second) in body


def test_erasure_ends_a_leadership_and_forgets_what_leaders_decided_about_the_person():
    organization = make_organization()
    leader = _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    memberships.endorsement_decline(
        profile=applicant, organization=organization, leader=leader.user, reason="เหตุผลส่วนตัว"
    )
    staff = make_user(group="Staff")
    services.volunteer_erase(user=applicant.user, actor=staff)
    services.volunteer_erase(user=leader.user, actor=staff)
    applicant.refresh_from_db()
    assert applicant.endorsement_reason == "" and applicant.endorsement == VolunteerProfile.Endorsement.NONE
    assert applicant.endorsement_by is None and applicant.organization is None
    assert not OrganizationLeader.objects.exists()


def test_the_data_export_names_the_organisations_a_person_leads_and_their_endorsement():
    organization = make_organization(name_th="องค์กรส่งออก")
    leader = _leader_of(organization)
    applicant = make_volunteer()
    _apply(applicant, organization)
    memberships.endorsement_give(profile=applicant, organization=organization, leader=leader.user)
    assert services.user_data_export(user=leader.user)["data"]["volunteer"]["organisations_you_lead"] == [
        "องค์กรส่งออก"
    ]
    exported = services.user_data_export(user=applicant.user)["data"]["volunteer"]["profile"]
    assert exported["endorsement"] == "endorsed" and exported["endorsement_at"]


def test_the_staff_dashboard_counts_an_applicant_ready_only_once_endorsed():
    """The requirement's database form (what "ready to register" asks) agrees with its per-person form."""
    from volunteers.endorsement import missing_endorsement, profiles_with_endorsement

    organization, unled = make_organization(), make_organization()
    leader = _leader_of(organization)
    waiting, endorsed, elsewhere = make_volunteer(), make_volunteer(), make_volunteer()
    for profile, chosen in ((waiting, organization), (endorsed, organization), (elsewhere, unled)):
        _apply(profile, chosen)
    memberships.endorsement_give(profile=endorsed, organization=organization, leader=leader.user)
    ready = set(profiles_with_endorsement(VolunteerProfile.objects.all()).values_list("pk", flat=True))
    assert endorsed.pk in ready and elsewhere.pk in ready
    assert waiting.pk not in ready
    for profile in (waiting, endorsed, elsewhere):
        profile.refresh_from_db()
        assert (profile.pk in ready) == (missing_endorsement(profile) == [])


def test_the_leader_area_speaks_english_under_en():
    organization = make_organization()
    leader = _leader_of(organization)
    body = _signed_in(leader.user).get(f"/en/organisation/{organization.pk}/").content.decode()
    assert "Waiting for your decision" in body and "No confirmed members yet." in body


def test_the_header_offers_a_leader_their_area_and_stops_once_they_are_no_longer_a_leader():
    organization = make_organization()
    leader = _leader_of(organization)
    member = make_volunteer()
    link = f'href="{reverse("organisation_home")}"'

    client = _signed_in(leader.user)
    assert link in client.get(reverse("account_profile")).content.decode()
    assert link not in _signed_in(member.user).get(reverse("account_profile")).content.decode()

    memberships.organization_leader_remove(
        organization=organization, user=leader.user, actor=make_user(group="Staff")
    )
    assert client.get(reverse("organisation_home")).status_code == 404
    assert link not in client.get(reverse("account_profile")).content.decode()
