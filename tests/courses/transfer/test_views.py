"""The admin's "Export course" and "Import course": lead trainers and staff only (issue 23)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page

from courses.models import CoursePage
from tests.courses.transfer.helpers import (
    course_json,
    entries,
    exported,
    move_out_of_the_way,
    with_course_json,
)
from tests.factories import catalog_page, make_user

pytestmark = pytest.mark.django_db


def signed_in(client, group: str):
    user = make_user(group=group)
    client.force_login(user)
    return user


def upload(package: bytes, name: str = "course.zip") -> dict:
    return {"package": SimpleUploadedFile(name, package, content_type="application/zip")}


@pytest.mark.parametrize("group", ["Lead trainers", "Staff"])
def test_lead_trainers_and_staff_download_a_course_as_its_package(client, small_course, group):
    signed_in(client, group)

    response = client.get(f"/admin/courses/{small_course.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{small_course.slug}.zip"' in response["Content-Disposition"]
    package = b"".join(response.streaming_content)
    assert course_json(package)["course"]["key"] == str(small_course.translation_key)
    assert package == exported(small_course)


def test_a_trainer_may_neither_export_nor_import_a_course(client, small_course):
    signed_in(client, "Trainers")
    package = exported(small_course)

    assert client.get(f"/admin/courses/{small_course.pk}/export/").status_code == 302
    response = client.post("/admin/courses/import/", upload(package))

    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert Page.objects.filter(title="Small course").count() == 1


def test_a_lead_trainer_imports_a_package_and_lands_on_the_course_in_the_explorer(client, small_course):
    lead = signed_in(client, "Lead trainers")
    package = exported(small_course)
    move_out_of_the_way(small_course)

    response = client.post("/admin/courses/import/", upload(package))

    course = CoursePage.objects.get(slug=small_course.slug)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{course.pk}/"
    assert not course.live and course.owner == lead and course.workflow_in_progress


def test_a_refused_package_shows_the_file_and_the_field_and_imports_nothing(client, small_course):
    signed_in(client, "Staff")

    def script(data):
        data["course"]["fields"]["summary"] = "Fine"
        data["course"]["fields"]["description"] = "<p>Hi<script>alert(1)</script></p>"

    package = with_course_json(exported(small_course), script)
    before = Page.objects.count()

    response = client.post("/admin/courses/import/", upload(package))

    assert response.status_code == 400
    content = response.content.decode()
    assert "course.json" in content and "course.fields.description" in content
    assert "&lt;script&gt;" in content
    assert Page.objects.count() == before


def test_a_file_that_is_not_a_zip_is_refused_with_a_message(client):
    signed_in(client, "Staff")

    response = client.post("/admin/courses/import/", upload(b"not a zip", name="course.zip"))

    assert response.status_code == 400
    assert "(zip)" in response.content.decode()


def test_the_course_header_offers_export_and_the_catalog_import_to_lead_trainers_only(client, small_course):
    signed_in(client, "Lead trainers")
    assert (
        f"/admin/courses/{small_course.pk}/export/"
        in client.get(f"/admin/pages/{small_course.pk}/").content.decode()
    )
    assert "/admin/courses/import/" in client.get(f"/admin/pages/{catalog_page().pk}/").content.decode()
    client.logout()
    signed_in(client, "Trainers")
    assert "/export/" not in client.get(f"/admin/pages/{small_course.pk}/").content.decode()


def test_packages_of_the_same_course_have_fixed_timestamps(small_course):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(exported(small_course))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert sorted(entries(exported(small_course))) == sorted(entries(exported(small_course)))
