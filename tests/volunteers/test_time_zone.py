"""A volunteer's time zone: empty means their country's usual zone; they choose another on their
profile page; it is in their data export and erased with their personal data."""

import json

import pytest

from tests.factories import PASSWORD, make_privacy_notice, make_volunteer
from tests.volunteers.test_profile import profile_data
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(client):
    make_privacy_notice()
    profile = make_volunteer(given_name_th="สมชาย", family_name_th="ใจดี", country="NO")
    client.login(email=profile.user.email, password=PASSWORD)
    return profile


def test_the_zone_follows_the_country_until_the_volunteer_chooses_one():
    assert make_volunteer(country="NO").reader_time_zone == "Europe/Oslo"
    assert make_volunteer(country="SE").reader_time_zone == "Europe/Stockholm"
    assert make_volunteer(country="").reader_time_zone == "Asia/Bangkok"
    assert make_volunteer(country="NO", time_zone="Europe/London").reader_time_zone == "Europe/London"


def test_a_volunteer_chooses_a_time_zone_on_their_profile_page(client, volunteer):
    page = client.get("/accounts/profile/").content.decode()
    assert 'name="time_zone"' in page and "นอร์เวย์ (Oslo)" in page
    assert "เวลาปกติของประเทศที่ฉันพำนัก" in page
    assert "Norway (Oslo)" in client.get("/en/accounts/profile/").content.decode()
    response = client.post("/accounts/profile/", profile_data(time_zone="Europe/Stockholm"))
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.time_zone == "Europe/Stockholm"


def test_a_zone_that_does_not_exist_is_refused(client, volunteer):
    response = client.post("/accounts/profile/", profile_data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code in {200, 400}
    volunteer.refresh_from_db()
    assert volunteer.time_zone == ""


def test_the_data_export_holds_the_zone_chosen_and_the_zone_shown(client, volunteer):
    data = json.loads(client.get("/accounts/profile/my-data.json").content)["data"]["volunteer"]["profile"]
    assert data["time_zone"] == "" and data["time_zone_shown"] == "Europe/Oslo"
    VolunteerProfile.objects.filter(pk=volunteer.pk).update(time_zone="Europe/London")
    data = json.loads(client.get("/accounts/profile/my-data.json").content)["data"]["volunteer"]["profile"]
    assert data["time_zone"] == "Europe/London" and data["time_zone_shown"] == "Europe/London"


def test_saving_the_profile_forgets_the_zone_kept_in_the_session(client, volunteer):
    from training.time_zones import READER_ZONE_SESSION_KEY

    session = client.session
    session[READER_ZONE_SESSION_KEY] = "Europe/Oslo"
    session.save()
    client.post("/accounts/profile/", profile_data(time_zone="Europe/London"))
    assert READER_ZONE_SESSION_KEY not in client.session
