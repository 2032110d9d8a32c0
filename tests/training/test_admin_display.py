"""Staff screens of ours (records, listings, inspect views, reports) show words, never Python's raw
True, False or None."""

import re

import pytest
from django.utils.html import strip_tags

from certificates.models import Certificate
from courses.learning.services import course_enrol, lesson_complete
from courses.models import HelpLine
from tests.factories import (
    PASSWORD,
    english_admin,
    make_course_tree,
    make_organization,
    make_user,
    make_volunteer,
)

pytestmark = pytest.mark.django_db

RAW = re.compile(r"\b(True|False|None)\b")


def visible_text(html: str) -> str:
    """What a person (or a screen reader: visually hidden text counts) reads on the page."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return strip_tags(html)


@pytest.fixture
def screens():
    course, _module, lesson = make_course_tree(title="Orientation", slug="orientation")
    # A fresh applicant: no number, never registered, no erasure asked; an unconfirmed email.
    profile = make_volunteer(
        given_name_th="กัญญา", family_name_th="ใจดี", country="NO", organization=make_organization()
    )
    course_enrol(volunteer=profile.user, course=course)
    lesson_complete(volunteer=profile.user, lesson=lesson)
    certificate = Certificate.objects.get(volunteer=profile.user)  # valid, name shown, never changed
    make_organization(is_confirmed=True)
    HelpLine.objects.create(organisation="Help", country="NO", phone="+47 1", hours="", languages="th")
    return [
        "/admin/volunteers/people/",
        f"/admin/volunteers/people/inspect/{profile.pk}/",
        "/admin/volunteers/organisations/",
        "/admin/certificates/issued/",
        f"/admin/certificates/issued/inspect/{certificate.pk}/",
        "/admin/certificates/templates/",
        "/admin/snippets/courses/helpline/",
        "/admin/reports/completions/",
        "/admin/reports/progress/",
        "/admin/reports/quiz-results/",
        "/admin/users/",
    ]


@pytest.mark.parametrize("language", ["th", "en"])
def test_staff_screens_show_words_not_raw_python_values(client, screens, language):
    admin = make_user(is_superuser=True, is_staff=True)
    if language == "en":
        english_admin(admin)
    client.login(email=admin.email, password=PASSWORD)
    raw = []
    for url in screens:
        response = client.get(url)
        assert response.status_code == 200, url
        raw += [f"{url}: {found}" for found in RAW.findall(visible_text(response.content.decode()))]
    assert raw == []


def test_the_certificate_record_says_no_and_dashes_in_thai(client, screens):
    admin = make_user(is_superuser=True, is_staff=True)
    client.login(email=admin.email, password=PASSWORD)
    certificate = Certificate.objects.get()
    text = visible_text(client.get(f"/admin/certificates/issued/inspect/{certificate.pk}/").content.decode())
    hidden = text[text.index("ซ่อนชื่อของฉันในหน้าสาธารณะ") :]
    assert hidden.split()[1] == "ไม่ใช่"
    changed = text[text.index("เปลี่ยนสถานะเมื่อ") :]
    assert changed.split()[1] == "—"
