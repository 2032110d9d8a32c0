"""Attack: after a volunteer's data is erased, what they left elsewhere still names or places them.
The organisation they proposed kept their city, and their certificate's public page, with their
name, stayed in the cache for up to an hour under the key of its old state."""

import pytest
from django.core.cache import caches

from certificates.services import certificate_issue
from tests.factories import make_course_tree, make_user, make_volunteer
from volunteers.models import Organization
from volunteers.services import volunteer_erase, volunteer_profile_update

pytestmark = pytest.mark.django_db


def propose(profile, name: str):
    volunteer_profile_update(profile=profile, data={}, new_organization_name=name)
    profile.refresh_from_db()
    return profile.organization


def test_an_organisation_only_the_erased_person_proposed_goes_with_them():
    profile = make_volunteer(given_name_th="สมศรี", country="NO", city="Tromsø")
    organization = propose(profile, "ชมรมคนไทยทรอมโซ")
    assert organization.city == "Tromsø" and not organization.is_confirmed
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    assert not Organization.objects.filter(pk=organization.pk).exists()
    assert not Organization.objects.filter(city="Tromsø").exists()


def test_a_proposed_organisation_others_joined_stays_without_the_copied_city():
    profile = make_volunteer(given_name_th="สมศรี", country="NO", city="Tromsø")
    organization = propose(profile, "ชมรมคนไทยทรอมโซ")
    other = make_volunteer(country="NO", organization=organization)
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    organization.refresh_from_db()
    assert organization.city == "" and organization.name_th == "ชมรมคนไทยทรอมโซ"
    assert other.organization_id == organization.pk


def test_a_confirmed_organisation_is_left_alone():
    organization = Organization.objects.create(name_th="สมาคมไทยในนอร์เวย์", country="NO", city="Oslo")
    profile = make_volunteer(country="NO", city="Oslo", organization=organization)
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    organization.refresh_from_db()
    assert organization.city == "Oslo"


def cached_values(store) -> list[bytes]:
    return list(store._cache.values())  # the local-memory cache keeps pickled values


def test_erasure_leaves_no_cached_public_page_with_the_name(client, settings):
    # A local-memory cache of its own, on both test passes, so every entry can be inspected.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "erasure"}
    }
    store = caches["default"]
    course = make_course_tree(title="หลักสูตรปฐมนิเทศ")[0]
    profile = make_volunteer(given_name_th="กานติมน", given_name_en="Kantimon", family_name_en="Raksakiat")
    certificate = certificate_issue(volunteer=profile.user, course=course)
    assert "Kantimon" in client.get(f"/verify/{certificate.token}/").content.decode()
    assert any(b"Kantimon" in value for value in cached_values(store))  # the control
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    assert not any(b"Kantimon" in value for value in cached_values(store))
    html = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "withdrawn" in html and "Kantimon" not in html
