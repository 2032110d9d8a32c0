"""Trainers and staff choose passwords of at least 12 characters (ASVS 2.1.1); volunteers keep 8.

The attack: a staff account, which can change courses and people's records, set to an 8-character
password that an online guesser reaches far sooner.
"""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tests.factories import PASSWORD, make_user, make_volunteer
from volunteers.tokens import password_set_path_args

pytestmark = pytest.mark.django_db

SHORT = "Kq7!vz2#pL"  # 10 characters, fine for a volunteer
LONG = "Kq7!vz2#pLm9"  # 12


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("role", ["Staff", "Trainers"])
def test_trainers_and_staff_need_twelve_characters(role):
    person = make_user(group=role)
    with pytest.raises(ValidationError) as refused:
        validate_password(SHORT, person)
    assert [error.code for error in refused.value.error_list] == ["password_too_short"]
    validate_password(LONG, person)


def test_django_staff_and_superusers_need_twelve_characters():
    for person in (make_user(is_staff=True), make_user(is_superuser=True)):
        with pytest.raises(ValidationError):
            validate_password(SHORT, person)


def test_volunteers_keep_the_shorter_minimum():
    validate_password(SHORT, make_volunteer().user)
    validate_password(SHORT, None)  # sign-up, before the account exists


def test_a_trainer_cannot_set_a_short_password_from_an_emailed_link(client):
    trainer = make_user(group="Trainers")
    args = password_set_path_args(trainer)
    form_url = client.get(
        f"/en/accounts/reset/{args['uidb64']}/{args['token']}/", follow=True
    ).redirect_chain[-1][0]
    answer = client.post(form_url, {"new_password1": SHORT, "new_password2": SHORT})
    assert answer.status_code == 200
    assert "trainers and staff use at least 12 characters" in answer.content.decode()
    trainer.refresh_from_db()
    assert trainer.check_password(PASSWORD)


def test_staff_cannot_change_to_a_short_password(client):
    staff = make_user(group="Staff")
    client.force_login(staff)
    answer = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": SHORT, "new_password2": SHORT}
    )
    assert answer.status_code == 200
    assert "วิทยากรและเจ้าหน้าที่ต้องใช้อย่างน้อย 12 ตัวอักษร" in answer.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def admin_user_form(email, password, groups, **extra):
    return {
        "email": email,
        "first_name": "New",
        "last_name": "Person",
        "password1": password,
        "password2": password,
        "groups": groups,
        "is_active": "on",
        **extra,
    }


def test_an_admin_cannot_create_a_trainer_with_a_short_password(client):
    from django.contrib.auth.models import Group

    from volunteers.models import User

    client.force_login(make_user(is_superuser=True, is_staff=True))
    trainers = Group.objects.get(name="Trainers")
    answer = client.post(
        "/admin/users/new/", admin_user_form("new.trainer@example.org", SHORT, [trainers.pk])
    )
    assert answer.status_code == 200
    assert not User.objects.filter(email="new.trainer@example.org").exists()
    answer = client.post("/admin/users/new/", admin_user_form("new.trainer@example.org", LONG, [trainers.pk]))
    assert answer.status_code == 302
    assert User.objects.get(email="new.trainer@example.org").check_password(LONG)


def test_an_admin_cannot_make_a_volunteer_staff_with_their_short_new_password(client):
    from django.contrib.auth.models import Group

    client.force_login(make_user(is_superuser=True, is_staff=True))
    person = make_user(email="becoming.staff@example.org", first_name="New", last_name="Person")
    staff = Group.objects.get(name="Staff")
    answer = client.post(f"/admin/users/edit/{person.pk}/", admin_user_form(person.email, SHORT, [staff.pk]))
    assert answer.status_code == 200
    person.refresh_from_db()
    assert person.check_password(PASSWORD) and not person.groups.exists()
    answer = client.post(f"/admin/users/edit/{person.pk}/", admin_user_form(person.email, LONG, [staff.pk]))
    assert answer.status_code == 302
    assert list(person.groups.all()) == [staff]
