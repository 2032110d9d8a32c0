"""What a request may carry (issue 19, low): a NUL character anywhere in the text sent is a
translated 400 on both databases (PostgreSQL answered 500), and a body larger than the sender may
send is a 413 before it is read, while trainers' large uploads still work."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from wagtail.documents import get_document_model
from wagtail.models import Collection

from certificates.services import certificate_issue
from courses.learning.services import course_enrol
from courses.models import QuizAttempt
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, add_quiz
from tests.factories import english_admin, make_course_tree, make_user, make_volunteer
from training.request_limits import (
    ADMIN_REQUEST_MAX_BYTES,
    PUBLIC_REQUEST_MAX_BYTES,
    RequestSizeLimitMiddleware,
)

pytestmark = pytest.mark.django_db

NUL_TH = "อักขระ NUL"
NUL_EN = "contains a NUL character"
MB = 1024 * 1024


def assert_nul_refused(response, language: str = "th") -> None:
    assert response.status_code == 400
    assert (NUL_TH if language == "th" else NUL_EN) in response.content.decode()


def test_a_nul_in_a_query_parameter_is_a_translated_400(client):
    assert_nul_refused(client.get("/courses/", {"tag": "\x00"}))
    assert_nul_refused(client.get("/en/courses/", {"q": "a\x00b"}), "en")
    assert_nul_refused(client.get("/courses/", {"ta\x00g": "x"}))


def test_a_nul_in_the_path_is_a_400(client):
    profile = make_volunteer()
    client.force_login(profile.user)
    assert_nul_refused(client.post("/learn/certificates/%00/visibility/", {"hidden": "1"}))
    assert_nul_refused(client.get("/verify/%00/"))


def test_a_nul_in_a_short_answer_is_a_400_and_changes_nothing(client):
    course, module, _lesson = make_course_tree(title="NUL course")
    quiz = add_quiz(module)
    volunteer = make_volunteer().user
    course_enrol(volunteer=volunteer, course=course)
    client.force_login(volunteer)
    token = str(uuid.uuid4())
    assert client.post(quiz.url, {"action": "start", "token": token}).status_code == 302
    attempt = QuizAttempt.objects.get(token=token)
    body = {**RIGHT_POST, "answer-q-short": "13\x0000", "action": "submit", "attempt": str(attempt.token)}
    assert_nul_refused(client.post(quiz.url, body))
    attempt.refresh_from_db()
    assert attempt.state == QuizAttempt.State.IN_PROGRESS and not attempt.answers


def test_a_nul_in_a_form_field_or_a_multipart_field_is_a_400(client):
    assert_nul_refused(client.post("/accounts/login/", {"login": "a\x00@example.org", "password": "x"}))
    upload = SimpleUploadedFile("note.txt", b"hello")
    assert_nul_refused(client.post("/accounts/login/", {"login": "a\x00b", "file": upload}))


def test_a_nul_in_a_file_body_is_not_text_and_passes_to_the_form(client):
    staff = english_admin(make_user(is_superuser=True))
    client.force_login(staff)
    content = b"%PDF-1.7\n\x00\x01binary"
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Binary handout",
            "collection": Collection.objects.get(name="Training media").pk,
            "file": SimpleUploadedFile("handout.pdf", content),
        },
    )
    assert response.status_code == 302
    assert get_document_model().objects.get().file.read() == content


def test_a_30_mb_file_part_to_the_login_form_is_refused_with_413(client):
    upload = SimpleUploadedFile("big.bin", b"\x01" * (30 * MB))
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x", "file": upload})
    assert response.status_code == 413
    assert "เมกะไบต์" in response.content.decode()


def test_a_signed_in_volunteer_cannot_send_more_than_a_public_form_needs(client):
    client.force_login(make_volunteer().user)
    upload = SimpleUploadedFile("big.bin", b"\x01" * (PUBLIC_REQUEST_MAX_BYTES + 1))
    assert client.post("/accounts/profile/", {"file": upload}).status_code == 413


def test_file_parts_from_people_who_cannot_upload_are_dropped_unread():
    seen = {}

    def view(request):
        seen["files"], seen["fields"] = dict(request.FILES), dict(request.POST)
        return None

    factory = RequestFactory()
    for user_kind in ("anonymous", "volunteer"):
        request = factory.post(
            "/accounts/login/", {"login": "a", "file": SimpleUploadedFile("x.bin", b"1" * 1000)}
        )
        request.user = AnonymousUser() if user_kind == "anonymous" else make_volunteer().user
        RequestSizeLimitMiddleware(view)(request)
        assert seen == {"files": {}, "fields": {"login": ["a"]}}, user_kind


def test_trainers_still_upload_documents_larger_than_a_public_form(client):
    trainer = english_admin(make_user(group="Trainers"))
    client.force_login(trainer)
    content = b"%PDF-1.7\n" + b"0" * (PUBLIC_REQUEST_MAX_BYTES + MB)
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Large handout",
            "collection": Collection.objects.get(name="Training media").pk,
            "file": SimpleUploadedFile("handout.pdf", content, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_document_model().objects.get().file.size == len(content)


def test_even_a_trainer_is_refused_above_the_largest_document(client):
    trainer = make_user(group="Trainers")
    client.force_login(trainer)
    response = client.generic(
        "POST",
        "/admin/documents/add/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(ADMIN_REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413


def test_a_certificate_holder_still_hides_their_name(client):
    course, _module, _lesson = make_course_tree(title="Still works")
    profile = make_volunteer(given_name_th="ทดสอบ", family_name_th="ยืนยัน")
    certificate = certificate_issue(volunteer=profile.user, course=course)
    client.force_login(profile.user)
    response = client.post(f"/learn/certificates/{certificate.token}/visibility/", {"hidden": "1"})
    assert response.status_code == 302
