"""The demo shows organisation leaders (issue 22): a leader who signs in with the demo password, an
organisation with confirmed members, a registered volunteer's membership request, an endorsed
application and one awaiting the endorsement."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from volunteers.demo import DEMO_LEADER, DEMO_PASSWORD
from volunteers.models import OrganizationLeader, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_the_demo_leader_follows_members_and_decides_requests(demo, client):
    leadership = OrganizationLeader.objects.select_related("organization").get(user__email=DEMO_LEADER)
    organization = leadership.organization
    people = VolunteerProfile.objects.filter(organization=organization)
    confirmed = people.filter(membership_status="confirmed")
    assert confirmed.filter(user__email="volunteer@example.org").exists()
    endorsed = people.get(user__email="prasert.no@example.org")
    assert endorsed.endorsement == "endorsed" and endorsed.membership_status == "confirmed"
    awaiting = people.get(user__email="duangdao.no@example.org")
    assert awaiting.status == "applicant" and awaiting.membership_status == "requested"
    request = people.get(user__email="boonchu.no@example.org")
    assert request.status == "registered" and request.membership_status == "requested"

    assert client.login(email=DEMO_LEADER, password=DEMO_PASSWORD)
    response = client.get(reverse("organisation_home"), follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("สมหญิง", "ประเสริฐ", "ดวงดาว", "บุญชู"):
        assert name in body
    assert "ปฐมนิเทศ" in body or "orientation" in body.lower()


def test_the_demo_prints_the_leader_login(demo, capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert f"{DEMO_LEADER}  (volunteer, leader of the Thai Association in Norway)" in output
