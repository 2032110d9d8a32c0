"""Country coordinators (issue 22): who is limited and to what, how staff appoint them, and the places
Wagtail itself would show them everyone (the Users area, site history, admin search)."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Page

from tests.factories import make_coordinator, make_user, make_volunteer
from volunteers import coordinators
from volunteers.coordinators import COORDINATORS_GROUP, countries_of, in_countries
from volunteers.models import CoordinatorCountry, VolunteerProfile

pytestmark = pytest.mark.django_db


def _coordinator(*countries: str):
    return make_coordinator(countries)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _codenames(group_name: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_coordinators_hold_every_staff_permission_but_appointing_coordinators_and_one_that_limits_them():
    # A migration that grants staff a permission must grant it to coordinators too.
    assert _codenames(COORDINATORS_GROUP) - _codenames("Staff") == {"volunteers.coordinate_countries"}
    assert _codenames("Staff") - _codenames(COORDINATORS_GROUP) == {"volunteers.manage_coordinators"}


def test_coordinators_have_staffs_rights_on_pages_and_collections():
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    def grants(model, target, name):
        return set(model.objects.filter(group__name=name).values_list(target, "permission__codename"))

    for model, target in ((GroupPagePermission, "page_id"), (GroupCollectionPermission, "collection_id")):
        assert grants(model, target, "Staff")
        assert grants(model, target, COORDINATORS_GROUP) == grants(model, target, "Staff")


def test_only_coordinators_are_limited_and_a_coordinator_without_countries_sees_none():
    from django.contrib.auth.models import AnonymousUser

    assert countries_of(make_user(group="Staff")) is None
    assert countries_of(make_user(group="Trainers")) is None
    assert countries_of(make_user(is_superuser=True)) is None
    assert countries_of(_coordinator("NO", "SE")) == {"NO", "SE"}
    assert countries_of(_coordinator()) == frozenset()
    assert countries_of(AnonymousUser()) == frozenset()
    # A superuser put in the group by mistake is still a superuser.
    superuser = make_user(is_superuser=True, group=COORDINATORS_GROUP)
    assert countries_of(superuser) is None


def test_the_limit_costs_a_coordinator_one_query_per_request_and_staff_none(django_assert_num_queries):
    staff = make_user(group="Staff")
    staff.get_all_permissions()  # loaded by any admin page before
    with django_assert_num_queries(0):
        assert countries_of(staff) is None
    coordinator = _coordinator("NO")
    coordinator.get_all_permissions()
    with django_assert_num_queries(1):
        countries_of(coordinator)
        countries_of(coordinator)


def test_in_countries_keeps_a_coordinators_countries_only():
    norway = make_volunteer(country="NO")
    make_volunteer(country="SE")
    make_volunteer(country="")
    assert list(in_countries(VolunteerProfile.objects.all(), _coordinator("NO"))) == [norway]
    assert in_countries(VolunteerProfile.objects.all(), make_user(group="Staff")).count() == 3
    assert in_countries(VolunteerProfile.objects.all(), _coordinator()).count() == 0


def test_staff_appoint_a_coordinator_change_their_countries_and_end_the_role_each_step_logged():
    staff = make_user(group="Staff")
    person = make_user(email="embassy.oslo@example.org", first_name="อรุณี", last_name="ประสานดี")
    client = _signed_in(staff)
    url = reverse("volunteers_coordinators")

    response = client.post(url, {"email": "EMBASSY.oslo@example.org", "countries": ["NO", "DK"]})
    assert response.status_code == 302
    assert countries_of(type(person).objects.get(pk=person.pk)) == {"NO", "DK"}

    page = client.get(url + f"?edit={person.pk}")
    assert "อรุณี ประสานดี" in page.content.decode()
    assert page.context["form"].initial["countries"] == ["DK", "NO"] or set(
        page.context["form"].initial["countries"]
    ) == {"DK", "NO"}

    client.post(url, {"email": person.email, "countries": ["NO"]})
    assert set(CoordinatorCountry.objects.filter(user=person).values_list("country", flat=True)) == {"NO"}

    client.post(url, {"remove": str(person.pk)})
    assert not CoordinatorCountry.objects.filter(user=person).exists()
    assert not person.groups.filter(name=COORDINATORS_GROUP).exists()

    entries = ModelLogEntry.objects.for_instance(person).order_by("timestamp")
    assert [(entry.action, entry.data) for entry in entries] == [
        ("volunteers.coordinator_set", {"before": None, "countries": ["DK", "NO"]}),
        ("volunteers.coordinator_set", {"before": ["DK", "NO"], "countries": ["NO"]}),
        ("volunteers.coordinator_remove", {"before": ["NO"]}),
    ]
    assert {entry.user_id for entry in entries} == {staff.pk}


@pytest.mark.parametrize(
    ("email", "countries", "message"),
    [
        ("nobody@example.org", ["NO"], "Nobody with an account has this email address."),
        ("root@example.org", ["NO"], "A superuser sees every country and cannot be limited to some."),
        ("boss@example.org", ["NO"], "You cannot change your own role."),
        ("someone@example.org", [], "This field is required."),
        (
            "someone@example.org",
            ["XX"],
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
    ],
)
def test_appointing_refuses_with_a_reason_and_changes_nothing(email, countries, message):
    make_user(email="root@example.org", is_superuser=True)
    make_user(email="someone@example.org")
    staff = make_user(email="boss@example.org", group="Staff")
    response = _signed_in(staff).post(
        reverse("volunteers_coordinators"), {"email": email, "countries": countries}
    )
    assert response.status_code == 400
    assert (
        escape(_(message) % {"value": "XX"} if "%(value)s" in message else _(message))
        in response.content.decode()
    )
    assert not CoordinatorCountry.objects.exists()
    assert not Group.objects.get(name=COORDINATORS_GROUP).user_set.exists()


def test_the_appointing_page_is_for_staff_only_not_for_coordinators_trainers_or_volunteers():
    url = reverse("volunteers_coordinators")
    assert _signed_in(make_user(group="Staff")).get(url).status_code == 200
    for person in (_coordinator("NO"), make_user(group="Trainers"), make_volunteer().user):
        response = _signed_in(person).get(url)
        assert response.status_code in {302, 403}
        assert _signed_in(person).post(url, {"email": person.email, "countries": ["NO"]}).status_code in {
            302,
            403,
        }
    assert CoordinatorCountry.objects.count() == 1  # the coordinator's own


def test_a_coordinator_never_manages_accounts_even_when_their_group_is_given_the_permissions():
    group = Group.objects.get(name=COORDINATORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="volunteers", codename__endswith="_user")
    )
    coordinator = _coordinator("NO")
    norwegian = make_volunteer(country="NO")
    client = _signed_in(coordinator)
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:edit", args=[norwegian.user.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    staff_with_permission = make_user(group="Staff")
    staff_with_permission.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert _signed_in(staff_with_permission).get(reverse("wagtailusers_users:index")).status_code == 200


def _site_history(client, **params) -> str:
    return client.get(reverse("wagtailadmin_reports:site_history"), params).content.decode()


def test_site_history_shows_a_coordinator_their_countries_records_only_and_staff_everything():
    staff = make_user(group="Staff")
    norwegian = make_volunteer(country="NO", given_name_th="นอร์เวย์", family_name_th="คนดี")
    swede = make_volunteer(country="SE", given_name_th="สวีเดน", family_name_th="คนไกล")
    log(norwegian, "volunteers.register", user=staff)
    log(swede, "volunteers.register", user=staff)
    # Something a Swedish volunteer did, on their own record.
    log(swede, "volunteers.erasure_request", user=swede.user)

    page = _site_history(_signed_in(_coordinator("NO")))
    assert str(norwegian) in page
    assert str(swede) not in page and "สวีเดน" not in page
    assert str(swede) not in _site_history(_signed_in(_coordinator("NO")), label="สวีเดน")

    staff_page = _site_history(_signed_in(staff))
    assert str(norwegian) in staff_page and str(swede) in staff_page


def test_site_history_offers_a_coordinator_no_volunteer_of_another_country_as_a_user_to_filter_by():
    swede = make_volunteer(country="SE", given_name_th="สวีเดน", family_name_th="คนไกล")
    norwegian = make_volunteer(country="NO")
    # Wagtail offers the people who acted on pages (a volunteer would be one through a form page).
    page = Page.objects.get(depth=2, locale__language_code="th")
    log(page, "wagtail.edit", user=swede.user)
    log(page, "wagtail.edit", user=norwegian.user)
    client = _signed_in(_coordinator("NO"))
    response = client.get(reverse("wagtailadmin_reports:site_history"))
    users = {choice.pk for choice in response.context["filters"].form.fields["user"].queryset}
    assert norwegian.user.pk in users
    assert swede.user.pk not in users
    staff_view = _signed_in(make_user(group="Staff")).get(reverse("wagtailadmin_reports:site_history"))
    assert swede.user.pk in {
        choice.pk for choice in staff_view.context["filters"].form.fields["user"].queryset
    }


def test_the_site_history_export_leaves_out_other_countries_too():
    staff = make_user(group="Staff")
    swede = make_volunteer(country="SE", given_name_th="สวีเดน", family_name_th="คนไกล")
    norwegian = make_volunteer(country="NO", given_name_th="นอร์เวย์", family_name_th="คนดี")
    log(swede, "volunteers.register", user=staff)
    log(norwegian, "volunteers.register", user=staff)
    response = _signed_in(_coordinator("NO")).get(
        reverse("wagtailadmin_reports:site_history"), {"export": "csv"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    labels = [row[1] for row in list(csv.reader(io.StringIO(text)))[1:]]  # ID, Name, Type, ...
    assert str(norwegian) in labels and str(swede) not in labels


def test_the_admin_search_finds_no_volunteer_of_another_country_for_a_coordinator():
    swede = make_volunteer(country="SE", given_name_th="สวีเดน", family_name_th="คนไกล")
    response = _signed_in(_coordinator("NO")).get(
        reverse("wagtailadmin_pages:search"), {"q": "สวีเดน"}, follow=True
    )
    assert response.status_code == 200
    assert str(swede) not in response.content.decode()
    # Nor does the search offer the Users area, where accounts could be found.
    assert reverse("wagtailusers_users:index") not in response.content.decode()


def test_coordinator_set_refuses_nobody_twice_and_replaces_countries_in_one_transaction():
    staff = make_user(group="Staff")
    person = make_user()
    assert coordinators.coordinator_set(user=person, countries={"NO"}, actor=staff) is True
    assert coordinators.coordinator_set(user=person, countries={"NO"}, actor=staff) is False
    assert coordinators.coordinator_set(user=person, countries={"SE", "DK"}, actor=staff) is True
    assert countries_of(type(person).objects.get(pk=person.pk)) == {"SE", "DK"}
    assert ModelLogEntry.objects.for_instance(person).count() == 2


def test_a_coordinator_sees_their_countries_in_their_data_and_erasure_takes_them_away():
    from volunteers import services

    staff = make_user(group="Staff")
    person = make_volunteer(country="NO").user
    coordinators.coordinator_set(user=person, countries={"SE", "NO"}, actor=staff)
    exported = services.user_data_export(user=person)["data"]["volunteer"]
    assert exported["countries_you_coordinate"] == ["NO", "SE"]

    services.volunteer_erase(user=person, actor=staff)
    assert not CoordinatorCountry.objects.filter(user=person).exists()
    # Staff who appointed someone later erased are no longer named on the rows they made.
    other = make_user()
    coordinators.coordinator_set(user=other, countries={"DK"}, actor=staff)
    services.volunteer_erase(user=staff, actor=make_user(is_superuser=True))
    assert CoordinatorCountry.objects.get(user=other).appointed_by is None


def test_the_form_offers_first_the_countries_where_the_programme_has_people_or_organisations():
    from tests.factories import make_organization
    from volunteers.coordinator_admin import CoordinatorForm

    make_volunteer(country="SE")
    make_organization(country="NO")
    codes = [code for code, _name in CoordinatorForm().fields["countries"].choices]
    assert set(codes[:2]) == {"NO", "SE"}
    assert len(codes) > 200 and len(set(codes)) == len(codes)
