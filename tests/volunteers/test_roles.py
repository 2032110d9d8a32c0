import pytest
from django.contrib.auth.models import Group

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Trainers", "Staff"])
def test_role_groups_exist_with_admin_access(name):
    group = Group.objects.get(name=name)
    assert group.permissions.filter(codename="access_admin").exists()


@pytest.mark.parametrize("group", ["Trainers", "Staff"])
def test_trainers_and_staff_can_open_the_admin(client, group):
    user = make_user(group=group)
    client.login(email=user.email, password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_a_volunteer_without_a_role_cannot_open_the_admin(client):
    user = make_user()
    client.login(email=user.email, password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_login_page_answers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
