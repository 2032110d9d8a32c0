"""Staff import applicants from a CSV file: per-row outcomes, updates, invitations, broken files."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from tests.factories import PASSWORD, make_user, make_volunteer
from volunteers.models import Organization, User, VolunteerProfile

pytestmark = pytest.mark.django_db

URL = "/admin/volunteers/import/"
HEADER = "email,given_name_th,family_name_th,given_name_en,family_name_en,country,organization,phone\n"


@pytest.fixture
def staff(client):
    from wagtail.users.models import UserProfile

    user = make_user(group="Staff")
    # The admin speaks the user's chosen language; English keeps the messages below stable.
    admin_profile = UserProfile.get_for_user(user)
    admin_profile.preferred_language = "en"
    admin_profile.save()
    client.login(email=user.email, password=PASSWORD)
    return user


def upload(client, content: bytes | str, name="people.csv"):
    raw = content.encode("utf-8") if isinstance(content, str) else content
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def test_good_bad_and_duplicate_rows_each_get_an_outcome(client, staff):
    existing = make_volunteer(email="known@example.org", given_name_th="เก่า", family_name_th="เดิม")
    content = (
        HEADER
        + "new1@example.org,สมพร,ใจงาม,Somporn,Jaingam,NO,สมาคมใหม่,+47 1\n"
        + "not-an-email,ผิด,พลาด,,,NO,,\n"
        + "known@example.org,ใหม่,ล่าสุด,,,SE,,\n"
        + "new1@example.org,ซ้ำ,ซ้อน,,,NO,,\n"
        + "new2@example.org,,ไม่มีชื่อ,,,ZZ,,\n"
    )
    response = upload(client, content)
    assert response.status_code == 200
    outcomes = [(o.line, o.outcome) for o in response.context["outcomes"]]
    assert outcomes == [(2, "created"), (3, "rejected"), (4, "updated"), (5, "rejected"), (6, "rejected")]
    reasons = {o.line: " ".join(o.reasons) for o in response.context["outcomes"]}
    assert "email address is not valid" in reasons[3]
    assert "appears earlier in the file" in reasons[5]
    assert "Thai given name" in reasons[6] and "ISO 3166" in reasons[6]

    created = VolunteerProfile.objects.get(user__email="new1@example.org")
    assert created.given_name_th == "สมพร" and created.country == "NO"
    assert created.organization.name_th == "สมาคมใหม่" and not created.organization.is_confirmed
    existing.refresh_from_db()
    assert existing.given_name_th == "ใหม่" and existing.country == "SE"
    assert User.objects.filter(email="known@example.org").count() == 1
    assert not User.objects.filter(email="new2@example.org").exists()

    # Only the new person is invited, with a link to choose a password.
    assert [message.to for message in mail.outbox] == [["new1@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body
    page = response.content.decode()
    assert "new1@example.org" in page


def test_the_invitation_link_lets_the_person_set_a_password(client, staff):
    upload(client, HEADER + "invitee@example.org,เชิญ,มา,,,NO,,\n")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "invited-pass-2026", "new_password2": "invited-pass-2026"},
    )
    assert response.status_code == 302
    assert client.login(email="invitee@example.org", password="invited-pass-2026")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("email,given_name_th,family_name_th\n".encode("utf-16"), "not UTF-8"),
        ("อีเมล,ชื่อ\nnew@example.org,สมหมาย\n", "missing: email"),
        (HEADER, "no rows"),
        (HEADER + "a@example.org,ก,ข,,,NO,,,extra,values\n", "more values than there are columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not"),
    ],
)
def test_a_broken_file_gives_a_clear_error_and_changes_nothing(client, staff, content, message):
    users_before, organizations_before = User.objects.count(), Organization.objects.count()
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was imported" in response.content.decode()
    assert User.objects.count() == users_before and Organization.objects.count() == organizations_before
    assert mail.outbox == []


def test_a_broken_row_after_good_ones_in_a_malformed_file_rolls_everything_back(client, staff):
    content = HEADER + "good@example.org,ดี,มาก,,,NO,,\n" + "bad@example.org,เสีย,หาย,,,NO,,,1,2\n"
    response = upload(client, content)
    assert response.status_code == 400
    assert not User.objects.filter(email="good@example.org").exists()


def test_only_staff_may_import(client):
    trainer = make_user(group="Trainers")
    client.login(email=trainer.email, password=PASSWORD)
    response = upload(client, HEADER + "x@example.org,ก,ข,,,NO,,\n")
    assert response.status_code in {302, 403}
    assert not User.objects.filter(email="x@example.org").exists()
