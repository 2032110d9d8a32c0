"""Shared by the certificate tests: a certificate whose PDF was really stored, and the holder's download."""

import pytest
from django.core.files.storage import default_storage

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import PASSWORD, make_course_tree, make_volunteer
from training.storage import private_storage


@pytest.fixture
def stored_certificate(django_capture_on_commit_callbacks):
    course, _module, _lesson = make_course_tree(title="หลักสูตรปฐมนิเทศ")
    profile = make_volunteer(
        email="holder@example.org", given_name_th="กานติมน", family_name_th="รักษาเกียรติ",
        given_name_en="Kantimon", family_name_en="Raksakiat",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the PDF is stored after commit
        certificate = certificate_issue(volunteer=profile.user, course=course)
    certificate.refresh_from_db()
    yield certificate
    certificate.refresh_from_db()
    for name in {certificate.pdf.name, f"certificates/{certificate.serial}.pdf"} - {""}:
        private_storage().delete(name)
        default_storage.delete(name)


def download(client, certificate: Certificate) -> bytes:
    client.login(email="holder@example.org", password=PASSWORD)
    response = client.get(f"/certificates/{certificate.token}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content if response.streaming else [response.content])
