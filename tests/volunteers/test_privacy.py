"""Privacy rights: every table that refers to a person is exported and erased, leaving no trace."""

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Revision
from wagtail.users.models import UserProfile

from certificates.services import certificate_issue, certificate_pdf_store
from tests.factories import (
    PASSWORD,
    make_course_tree,
    make_organization,
    make_privacy_notice,
    make_user,
    make_volunteer,
)
from volunteers.models import VolunteerProfile
from volunteers.privacy import covered_models, privacy_providers
from volunteers.services import user_data_export, volunteer_erase, volunteer_register

pytestmark = pytest.mark.django_db

EMAIL = "kanokwan.private@example.org"
NAMES = ["กนกวรรณ", "ศรีประเสริฐ", "Kanokwan", "Sriprasert"]
PHONE = "+47 912 34 567"


def models_referring_to_the_user() -> set:
    """Every model with a field of its own (FK, one-to-one, many-to-many) that points at the user."""
    User = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if field.is_relation and field.related_model is User:
                found.add(model)
    return found


def test_every_model_that_refers_to_the_user_has_a_privacy_provider():
    missing = {model._meta.label for model in models_referring_to_the_user()} - {
        model._meta.label for model in covered_models()
    }
    assert missing == set(), f"no privacy provider exports and erases: {sorted(missing)}"


def test_the_registry_covers_the_user_and_sessions_themselves():
    labels = {model._meta.label for model in covered_models()}
    assert {"volunteers.User", "sessions.Session"} <= labels


@pytest.fixture
def person(client):
    """A volunteer whose data is spread over every kind of table: record, audit log, revisions, session."""
    make_privacy_notice()
    staff = make_user(group="Staff")
    organization = make_organization(name_th="สมาคมทดสอบ", contact_email=EMAIL, contact_phone=PHONE)
    profile = make_volunteer(
        email=EMAIL,
        given_name_th=NAMES[0],
        family_name_th=NAMES[1],
        given_name_en=NAMES[2],
        family_name_en=NAMES[3],
        phone=PHONE,
        city="Tromsø",
        country="NO",
        organization=organization,
    )
    user = profile.user
    user.first_name, user.last_name = NAMES[0], NAMES[1]
    user.save()
    volunteer_register(profile=profile, actor=staff)
    log(profile, "wagtail.edit", user=staff, data={"note": f"called {PHONE} about {NAMES[2]}"})
    UserProfile.get_for_user(user).save()
    home = apps.get_model("training", "HomePage").objects.get(depth=2, locale__language_code="th")
    Revision.objects.create(
        content_object=home,
        base_content_type=home.get_content_type(),
        content={"title": f"{NAMES[0]} {NAMES[1]}", "note": EMAIL},
        object_str=f"About {NAMES[2]} {NAMES[3]}",
        user=user,
    )
    Comment.objects.create(page=home, user=user, text=f"Signed {NAMES[0]}", contentpath="title")
    course, _module, _lesson = make_course_tree(title="หลักสูตรทดสอบความเป็นส่วนตัว")
    certificate_pdf_store(certificate=certificate_issue(volunteer=user, course=course))
    assert client.login(email=EMAIL, password=PASSWORD)
    return profile


def test_the_export_has_a_section_from_every_provider(person):
    data = user_data_export(user=person.user)["data"]
    assert set(data) == {provider.label for provider in privacy_providers()}
    assert data["account"]["email"] == EMAIL
    assert data["volunteer"]["profile"]["given_name_th"] == NAMES[0]
    assert data["volunteer"]["profile"]["volunteer_number"].startswith("OV-")
    assert data["wagtail"]["revisions_you_saved"] == 1
    assert data["wagtail"]["comments"][0]["text"] == f"Signed {NAMES[0]}"
    assert data["account"]["active_sessions"] == 1


def test_the_export_covers_every_model_that_refers_to_the_user(person):
    """Each provider that claims a model must put something about it in the export."""
    data = user_data_export(user=person.user)["data"]
    for provider in privacy_providers():
        assert provider.label in data and data[provider.label] not in (None, {}, [])


def test_a_volunteer_downloads_their_data_as_json_from_the_profile_page(client, person):
    assert "/accounts/profile/my-data.json" in client.get("/accounts/profile/").content.decode()
    response = client.get("/accounts/profile/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["data"]["volunteer"]["profile"]["family_name_th"] == NAMES[1]


def test_the_export_needs_a_login(client):
    assert client.get("/accounts/profile/my-data.json").status_code == 302


def test_a_volunteer_asks_for_erasure_and_staff_see_the_request(client, person):
    assert client.get("/en/accounts/profile/erase/").status_code == 200
    client.post("/en/accounts/profile/erase/")
    person.refresh_from_db()
    assert person.erasure_requested_at is not None
    assert person.given_name_th == NAMES[0]  # nothing is erased until staff do it
    assert ModelLogEntry.objects.filter(action="volunteers.erasure_request").exists()


def every_text_in_the_database() -> str:
    """All values of all tables (every column, cast to text), one big string to search."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.append(" ".join(str(value) for value in row if value is not None))
    return "\n".join(chunks)


def forms_of(value: str) -> list[str]:
    # JSON columns may hold non-ASCII text \u-escaped.
    return [value, value.lower(), json.dumps(value)[1:-1]]


def test_staff_erasure_leaves_no_trace_of_the_person_anywhere(client, person):
    text = every_text_in_the_database()
    for value in [EMAIL, *NAMES, PHONE]:
        assert any(form in text for form in forms_of(value)), f"fixture should contain {value}"
    staff = get_user_model().objects.get(groups__name="Staff")
    client.logout()
    client.login(email=staff.email, password=PASSWORD)
    from django.urls import reverse

    url = (
        reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "erase"]) + f"?id={person.pk}"
    )
    assert client.post(url).status_code == 302

    text = every_text_in_the_database()
    for value in [EMAIL, *NAMES, PHONE]:
        for form in forms_of(value):
            assert form not in text, f"{value!r} survived erasure"
    person.refresh_from_db()
    assert person.erased_at is not None and person.status == VolunteerProfile.Status.INACTIVE
    assert not person.user.is_active and not person.user.has_usable_password()
    assert ModelLogEntry.objects.filter(action="volunteers.erase", user=staff).exists()


def test_erasure_deletes_the_persons_files_from_private_storage(person):
    """Every file in a private file field (certificate PDFs) that belongs to the person is deleted.
    (An organisation's certification documents are the organisation's, whoever uploaded them: they
    stay, and the uploader is forgotten; tests/volunteers/test_certification.py.)"""
    from django.core.files.storage import default_storage

    from training.storage import private_file_fields

    files = []
    for model, field in private_file_fields():
        if "volunteer" not in {model_field.name for model_field in model._meta.fields}:
            continue
        for row in model._default_manager.filter(volunteer=person.user).exclude(**{field.name: ""}):
            files.append((field.storage, getattr(row, field.name).name))
    assert files, "the fixture should hold a certificate PDF"
    assert all(storage.exists(name) and not default_storage.exists(name) for storage, name in files)
    volunteer_erase(user=person.user, actor=make_user(group="Staff"))
    assert not any(storage.exists(name) or default_storage.exists(name) for storage, name in files)


def test_erasure_ends_the_persons_sessions(client, person):
    staff = make_user(group="Staff")
    volunteer_erase(user=person.user, actor=staff)
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_staff_with_the_erase_permission_can_erase(client, person):
    trainer = make_user(group="Trainers")
    client.logout()
    client.login(email=trainer.email, password=PASSWORD)
    from django.urls import reverse

    url = (
        reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "erase"]) + f"?id={person.pk}"
    )
    client.post(url)
    person.refresh_from_db()
    assert person.erased_at is None and person.given_name_th == NAMES[0]


def test_logs_never_contain_personal_data(client, caplog):
    """Sign-up, profile, import and erasure write log lines, none with an address, name or phone."""
    import logging

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    caplog.set_level(logging.DEBUG)
    make_privacy_notice()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": EMAIL,
                "password1": "pass-phrase-2026!",
                "password2": "pass-phrase-2026!",
                "consent": "on",
            },
        )
    client.post(
        "/accounts/profile/",
        {
            "given_name_th": NAMES[0],
            "family_name_th": NAMES[1],
            "country": "NO",
            "phone": PHONE,
            "preferred_language": "th",
        },
    )
    client.logout()
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    csv = f"email,given_name_th,family_name_th,phone\nother.{EMAIL},{NAMES[0]},{NAMES[1]},{PHONE}\n"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            "/admin/volunteers/import/", {"file": SimpleUploadedFile("p.csv", csv.encode(), "text/csv")}
        )
    volunteer_erase(user=get_user_model().objects.get(email=EMAIL), actor=staff)
    for _attempt in range(7):
        client.post("/accounts/login/", {"username": EMAIL, "password": "wrong"})
    logged = caplog.text
    assert "Volunteer account created" in logged and "Personal data erased" in logged
    for value in [EMAIL, *NAMES, PHONE]:
        assert value not in logged
