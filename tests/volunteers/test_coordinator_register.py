"""Country coordinators in the volunteer register (issue 22): a coordinator for Norway sees no Swedish
volunteer, organisation or certification application in any list, filter, export, chooser, record
page or bulk action; anything Swedish is a 404, as if it did not exist; staff still see everyone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.factories import PASSWORD, make_coordinator, make_organization, make_user, make_volunteer
from volunteers.models import (
    CertificationApplication,
    CertificationDocument,
    OrganizationLeader,
    VolunteerProfile,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/volunteers/people/"
ORGANISATIONS_URL = "/admin/volunteers/organisations/"
NORWEGIAN = "นอร์เวย์ใจดี"
SWEDISH = "สวีเดนใจงาม"
SWEDISH_ORGANISATION = "สมาคมไทยในสตอกโฮล์ม"
NORWEGIAN_ORGANISATION = "สมาคมไทยในออสโล"


def _english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def people():
    oslo = make_organization(name_th=NORWEGIAN_ORGANISATION, country="NO")
    stockholm = make_organization(name_th=SWEDISH_ORGANISATION, country="SE")
    norwegian = make_volunteer(
        email="nora@example.org",
        given_name_th=NORWEGIAN,
        family_name_th="ออสโล",
        country="NO",
        organization=oslo,
    )
    swedish = make_volunteer(
        email="sven@example.org",
        given_name_th=SWEDISH,
        family_name_th="สตอกโฮล์ม",
        country="SE",
        organization=stockholm,
    )
    return norwegian, swedish


@pytest.fixture
def coordinator(client):
    user = _english(make_coordinator(countries=("NO",)))
    client.login(email=user.email, password=PASSWORD)
    return user


def _url(name, obj, model="volunteerprofile"):
    return reverse(f"wagtailsnippets_volunteers_{model}:{name}", args=[obj.pk])


def bulk_url(action, *profiles):
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action])
    return url + "?" + "&".join(f"id={profile.pk}" for profile in profiles)


# --- Lists, filters, exports -----------------------------------------------------------------------


def test_a_norway_coordinator_lists_norwegian_volunteers_and_no_swedish_one(client, coordinator, people):
    page = client.get(LIST_URL).content.decode()
    assert NORWEGIAN in page and SWEDISH not in page
    searched = client.get(LIST_URL, {"q": "สวีเดน"}).content.decode()
    assert SWEDISH not in searched
    filtered = client.get(LIST_URL, {"country": "SE"})
    assert SWEDISH not in filtered.content.decode()


def test_the_coordinators_country_filter_offers_only_their_countries(client, coordinator, people):
    page = client.get(LIST_URL).content.decode()
    assert 'value="NO"' in page and 'value="SE"' not in page
    assert SWEDISH_ORGANISATION not in page  # nor the organisation filter a Swedish organisation


def test_the_coordinators_export_has_no_swedish_volunteer(client, coordinator, people):
    response = client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "nora@example.org" in body and "sven@example.org" not in body


def test_staff_still_see_volunteers_and_organisations_of_every_country(client, people):
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    page = client.get(LIST_URL).content.decode()
    assert NORWEGIAN in page and SWEDISH in page
    organisations = client.get(ORGANISATIONS_URL).content.decode()
    assert NORWEGIAN_ORGANISATION in organisations and SWEDISH_ORGANISATION in organisations
    assert client.get(_url("edit", people[1])).status_code == 200


def test_a_coordinator_whose_countries_were_all_taken_away_sees_nobody(client, people):
    user = make_coordinator(countries=())
    client.login(email=user.email, password=PASSWORD)
    page = client.get(LIST_URL).content.decode()
    assert NORWEGIAN not in page and SWEDISH not in page
    assert client.get(_url("inspect", people[0])).status_code == 404
    assert NORWEGIAN_ORGANISATION not in client.get(ORGANISATIONS_URL).content.decode()


# --- One record --------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "history_results", "usage", "delete"])
def test_every_page_of_a_swedish_record_is_a_404_for_the_norway_coordinator(
    client, coordinator, people, view
):
    _norwegian, swedish = people
    assert client.get(_url(view, swedish)).status_code == 404
    assert client.post(_url(view, swedish), {"given_name_th": "แก้"}).status_code == 404
    swedish.refresh_from_db()
    assert swedish.given_name_th == SWEDISH


@pytest.mark.parametrize("view", ["edit", "inspect", "history", "usage"])
def test_the_norway_coordinator_opens_a_norwegian_record(client, coordinator, people, view):
    assert client.get(_url(view, people[0])).status_code == 200


def test_the_edit_form_offers_only_the_coordinators_countries(client, coordinator, people):
    norwegian, _swedish = people
    form = client.get(_url("edit", norwegian)).content.decode()
    assert 'value="NO"' in form and 'value="SE"' not in form
    data = {
        "title": "",
        "given_name_th": NORWEGIAN,
        "family_name_th": "ออสโล",
        "given_name_en": "",
        "family_name_en": "",
        "country": "SE",
        "city": "",
        "organization": norwegian.organization_id,
        "organization_role": "",
        "phone": "",
        "preferred_language": "th",
        "time_zone": "",
    }
    moved = client.post(_url("edit", norwegian), data)
    assert moved.status_code == 200  # the form again, with the error on the country
    norwegian.refresh_from_db()
    assert norwegian.country == "NO"
    saved = client.post(_url("edit", norwegian), {**data, "country": "NO", "city": "Bergen"})
    assert saved.status_code == 302
    norwegian.refresh_from_db()
    assert norwegian.city == "Bergen"


def test_the_edit_form_refuses_a_swedish_organisation_for_a_norwegian_volunteer(client, coordinator, people):
    norwegian, swedish = people
    data = {
        "given_name_th": NORWEGIAN,
        "family_name_th": "ออสโล",
        "country": "NO",
        "organization": swedish.organization_id,
        "preferred_language": "th",
    }
    assert client.post(_url("edit", norwegian), data).status_code == 200
    norwegian.refresh_from_db()
    assert norwegian.organization.country == "NO"


# --- Bulk actions and row buttons -------------------------------------------------------------------


@pytest.mark.parametrize("action", ["register", "mark_inactive", "erase"])
def test_a_bulk_action_on_a_swedish_id_is_a_404_and_changes_nothing(client, coordinator, people, action):
    _norwegian, swedish = people
    assert client.get(bulk_url(action, swedish)).status_code == 404
    response = client.post(bulk_url(action, swedish), {"override_reason": "ทดสอบ"})
    assert response.status_code == 404
    swedish.refresh_from_db()
    assert swedish.status == VolunteerProfile.Status.APPLICANT and swedish.erased_at is None
    assert swedish.given_name_th == SWEDISH


def test_a_bulk_action_on_norwegian_and_swedish_ids_acts_only_on_the_norwegian(client, coordinator, people):
    norwegian, swedish = people
    confirm = client.get(bulk_url("mark_inactive", norwegian, swedish)).content.decode()
    assert NORWEGIAN in confirm and SWEDISH not in confirm
    client.post(bulk_url("mark_inactive", norwegian, swedish))
    norwegian.refresh_from_db()
    swedish.refresh_from_db()
    assert norwegian.status == VolunteerProfile.Status.INACTIVE
    assert swedish.status == VolunteerProfile.Status.APPLICANT


def test_select_all_acts_only_on_the_coordinators_countries(client, coordinator, people):
    norwegian, swedish = people
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "mark_inactive"]) + "?id=all"
    assert SWEDISH not in client.get(url).content.decode()
    client.post(url)
    norwegian.refresh_from_db()
    swedish.refresh_from_db()
    assert norwegian.status == VolunteerProfile.Status.INACTIVE
    assert swedish.status == VolunteerProfile.Status.APPLICANT


def test_the_enrolment_bulk_action_cannot_enrol_a_swedish_volunteer(client, coordinator, people):
    from courses.learning.models import Enrollment
    from tests.factories import make_course_tree

    course = make_course_tree(title="หลักสูตรทดสอบ")[0]
    url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "enrol_in_course"])
    response = client.post(f"{url}?id={people[1].pk}", {"course": course.pk})
    assert response.status_code == 404
    assert not Enrollment.objects.filter(volunteer=people[1].user).exists()
    # The same request for the Norwegian volunteer enrols them: the refusal is the country's.
    client.post(f"{url}?id={people[0].pk}", {"course": course.pk})
    assert Enrollment.objects.filter(volunteer=people[0].user).exists()


# --- The chooser -------------------------------------------------------------------------------------


def test_the_volunteer_chooser_lists_and_returns_no_swedish_volunteer(client, coordinator, people):
    norwegian, swedish = people
    chooser = "/admin/snippets/choose/volunteers/volunteerprofile/"
    listed = client.get(chooser).json()["html"]
    assert NORWEGIAN in listed and SWEDISH not in listed
    results = client.get(chooser + "results/", {"q": "สวีเดน"}).content.decode()
    assert SWEDISH not in results
    assert client.get(f"{chooser}chosen/{swedish.pk}/").status_code == 404
    assert client.get(f"{chooser}chosen/{norwegian.pk}/").status_code == 200
    multiple = client.get(f"{chooser}chosen-multiple/", {"id": [swedish.pk, norwegian.pk]}).content.decode()
    assert "สตอกโฮล์ม" not in multiple


def test_the_organisation_chooser_lists_no_swedish_organisation(client, coordinator, people):
    chooser = "/admin/snippets/choose/volunteers/organization/"
    listed = client.get(chooser).json()["html"]
    assert NORWEGIAN_ORGANISATION in listed and SWEDISH_ORGANISATION not in listed
    assert client.get(f"{chooser}chosen/{people[1].organization_id}/").status_code == 404


# --- The CSV import ----------------------------------------------------------------------------------

HEADER = "email,given_name_th,family_name_th,country\n"


def _upload(client, content: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/admin/volunteers/import/",
            {"file": SimpleUploadedFile("people.csv", content.encode(), content_type="text/csv")},
        )


def test_the_coordinator_imports_people_of_their_countries(client, coordinator):
    response = _upload(client, HEADER + "ola@example.org,โอลา,นอร์ดมันน์,NO\n")
    assert response.status_code == 200
    assert VolunteerProfile.objects.get(user__email="ola@example.org").country == "NO"


def test_an_import_with_a_swedish_row_is_refused_whole_with_the_row_number(client, coordinator):
    content = HEADER + "ola@example.org,โอลา,นอร์ดมันน์,NO\nsvea@example.org,สเวีย,สเวนสัน,SE\n,ไม่มี,ประเทศ,\n"
    response = _upload(client, content)
    page = response.content.decode()
    assert response.status_code == 400
    assert "row 3: Sweden is not one of your countries" in page
    assert "row 4: no country" in page and "Nothing was imported." in page
    assert not VolunteerProfile.objects.filter(
        user__email__in=["ola@example.org", "svea@example.org"]
    ).exists()


def test_an_import_cannot_take_over_a_swedish_volunteer_by_their_email(client, coordinator, people):
    response = _upload(client, HEADER + "SVEN@example.org,ยึด,มา,NO\n")
    assert response.status_code == 400
    assert "row 2: this email address is of a person you do not look after" in response.content.decode()
    swedish = people[1]
    swedish.refresh_from_db()
    assert swedish.country == "SE" and swedish.given_name_th == SWEDISH


# --- Organisations and their leaders -----------------------------------------------------------------


def test_the_coordinator_lists_only_their_countries_organisations(client, coordinator, people):
    page = client.get(ORGANISATIONS_URL).content.decode()
    assert NORWEGIAN_ORGANISATION in page and SWEDISH_ORGANISATION not in page
    assert 'value="SE"' not in page
    export = client.get(ORGANISATIONS_URL, {"export": "csv"})
    assert SWEDISH_ORGANISATION not in b"".join(export.streaming_content).decode()


@pytest.mark.parametrize("view", ["edit", "history", "usage", "delete"])
def test_every_page_of_a_swedish_organisation_is_a_404(client, coordinator, people, view):
    stockholm = people[1].organization
    assert client.get(_url(view, stockholm, "organization")).status_code == 404
    assert client.post(_url(view, stockholm, "organization"), {"name_th": "แก้"}).status_code == 404
    stockholm.refresh_from_db()
    assert stockholm.name_th == SWEDISH_ORGANISATION


def test_the_leaders_page_of_a_swedish_organisation_is_a_404(client, coordinator, people):
    stockholm = people[1].organization
    url = reverse("volunteers_organisation_leaders", args=[stockholm.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": coordinator.email}).status_code == 404
    assert not OrganizationLeader.objects.filter(organization=stockholm).exists()
    oslo = people[0].organization
    assert client.get(reverse("volunteers_organisation_leaders", args=[oslo.pk])).status_code == 200


# --- Certification applications --------------------------------------------------------------------


@pytest.fixture
def applications(people):
    made = []
    for profile, name in ((people[0], "ใบสมัครออสโล"), (people[1], "ใบสมัครสตอกโฮล์ม")):
        application = CertificationApplication.objects.create(
            organization=profile.organization,
            name_th=name,
            state=CertificationApplication.State.SUBMITTED,
            submitted_at=timezone.now(),
        )
        document = CertificationDocument.objects.create(
            application=application,
            title="ข้อบังคับ",
            file="certification/none.pdf",
            original_name="rules.pdf",
            content_type="application/pdf",
            size=10,
        )
        made.append((application, document))
    return made


def test_the_coordinator_lists_and_counts_only_their_countries_applications(
    client, coordinator, applications
):
    page = client.get(reverse("volunteers_certification_list")).content.decode()
    assert NORWEGIAN_ORGANISATION in page and SWEDISH_ORGANISATION not in page
    submitted = client.get(reverse("volunteers_certification_list"), {"state": "submitted"}).content.decode()
    assert NORWEGIAN_ORGANISATION in submitted and SWEDISH_ORGANISATION not in submitted
    dashboard = client.get("/admin/")
    panel = next(p for p in dashboard.context["panels"] if p.name == "certification")
    assert panel.get_context_data({})["waiting"] == 1


def test_a_swedish_application_and_its_documents_are_a_404(client, coordinator, applications):
    (oslo, _), (stockholm, document) = applications
    review = reverse("volunteers_certification_review", args=[stockholm.pk])
    assert client.get(review).status_code == 404
    decline = {"action": "decline", "decline-reason": "ไม่"}
    assert client.post(review, decline).status_code == 404
    stockholm.refresh_from_db()
    assert stockholm.state == CertificationApplication.State.SUBMITTED
    download = reverse("volunteers_certification_document", args=[stockholm.pk, document.pk])
    assert client.get(download).status_code == 404
    # Not through the Norwegian application's address either.
    assert (
        client.get(reverse("volunteers_certification_document", args=[oslo.pk, document.pk])).status_code
        == 404
    )
    assert client.get(reverse("volunteers_certification_review", args=[oslo.pk])).status_code == 200


def test_the_organisation_edit_form_offers_only_the_coordinators_countries(client, coordinator, people):
    oslo = people[0].organization
    form = client.get(_url("edit", oslo, "organization")).content.decode()
    assert 'value="NO"' in form and 'value="SE"' not in form


def test_a_norwegian_organisations_usage_does_not_name_its_swedish_member(client, coordinator, people):
    norwegian, swedish = people
    swedish.organization = norwegian.organization
    swedish.save()
    page = client.get(_url("usage", norwegian.organization, "organization")).content.decode()
    assert NORWEGIAN in page and SWEDISH not in page


def test_certifications_nearing_their_end_show_only_the_coordinators_countries(client, coordinator, people):
    import datetime

    from volunteers.models import Organization

    for profile in people:
        organization = profile.organization
        organization.certification_status = Organization.Certification.CERTIFIED
        organization.certification_number = f"PB-{organization.pk}"
        organization.certification_expires_on = datetime.date.today() + datetime.timedelta(days=30)
        organization.save()
    page = client.get(reverse("volunteers_certification_list")).content.decode()
    assert NORWEGIAN_ORGANISATION in page and SWEDISH_ORGANISATION not in page
    panel = next(p for p in client.get("/admin/").context["panels"] if p.name == "certification")
    assert [str(o) for o in panel.get_context_data({})["expiring"]] == [str(people[0].organization)]
