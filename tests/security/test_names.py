"""Names as people really write them (and as attackers do) are stored as given, escaped on every page,
and fit on the certificate PDF: Thai combining marks, right-to-left text, emoji, 200 characters,
markup and template syntax."""

import subprocess

import pytest
from django.conf import settings
from django.core.cache import cache

from certificates.pdf import certificate_html, render_certificate_pdf
from certificates.services import certificate_issue, printed_certificate
from tests.factories import (
    english_admin,
    make_course_tree,
    make_privacy_notice,
    make_user,
    make_volunteer,
)
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
NAMES = {
    "thai combining marks": ("กิ่งแก้ว", "ศักดิ์สิทธิ์ฤๅษี", "Kingkaew", "Saksit"),
    "right to left": ("มะลิ", "ใจดี", "مريم", "אברהם"),
    "emoji": ("นก🐦", "ใจดี🙏🏽", "Nok 🐦", "Jaidee 🌞"),
    "200 characters": (
        ("กิ่งก้านสาขาใหญ่" * 10)[:100],
        ("ศรีสุริโยทัยวงศ์" * 10)[:100],
        ("Maximiliana" * 10)[:100],
        ("Alexandrovna-" * 10)[:100],
    ),
    "markup": (SCRIPT, "{{ 7|add:7 }}", '"><img src=x onerror=alert(2)>', "{% debug %}"),
    "every column at its limit": ("ก่" * 60, "ข้" * 60, "W" * 120, "M" * 120),
}


def submit_profile(client, names):
    given_th, family_th, given_en, family_en = names
    return client.post(
        "/accounts/profile/",
        {
            "title": "ms",
            "given_name_th": given_th,
            "family_name_th": family_th,
            "given_name_en": given_en,
            "family_name_en": family_en,
            "country": "NO",
            "city": "Oslo",
            "preferred_language": "th",
        },
    )


def assert_escaped(html: str, names) -> None:
    assert SCRIPT not in html
    assert "<img src=x" not in html
    for name in names:
        if "<" in name or ">" in name or '"' in name:
            assert name not in html


@pytest.mark.parametrize("case", NAMES)
def test_names_are_stored_as_given_and_escaped_on_every_page(client, case):
    names = NAMES[case]
    make_privacy_notice(version=1)
    profile = make_volunteer()
    client.force_login(profile.user)
    response = submit_profile(client, names)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = VolunteerProfile.objects.get(pk=profile.pk)
    assert (
        profile.given_name_th,
        profile.family_name_th,
        profile.given_name_en,
        profile.family_name_en,
    ) == names

    course, _module, _lesson = make_course_tree(title="Names course")
    certificate = certificate_issue(volunteer=profile.user, course=course)
    assert names[0] in certificate.holder_name_th and names[3] in certificate.holder_name_en

    pages = {
        "profile": client.get("/accounts/profile/"),
        "dashboard": client.get("/learn/"),
        "my certificates": client.get("/learn/certificates/"),
    }
    cache.clear()
    pages["verify"] = client.get(f"/verify/{certificate.token}/")
    staff = english_admin(make_user(group="Staff"))
    client.force_login(staff)
    pages["admin record"] = client.get(f"/admin/volunteers/people/inspect/{profile.pk}/")
    pages["admin list"] = client.get("/admin/volunteers/people/")
    pages["admin certificate"] = client.get(f"/admin/certificates/issued/inspect/{certificate.pk}/")
    for label, page in pages.items():
        assert page.status_code == 200, label
        assert_escaped(page.content.decode(), names)
    if case == "markup":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["verify"].content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["admin record"].content.decode()
        assert "{{ 7|add:7 }}" in pages["verify"].content.decode()  # shown, never evaluated
    else:
        for label in ("profile", "verify", "admin record"):
            assert names[0] in pages[label].content.decode(), label


def boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


def classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


@pytest.mark.parametrize("case", NAMES)
def test_every_name_fits_on_one_certificate_page_without_overlapping_the_signature_or_qr_code(case, tmp_path):
    from certificates.pdf import _font_config, weasyprint_module

    HTML = weasyprint_module().HTML

    profile = make_volunteer(
        title="ms",
        given_name_th=NAMES[case][0],
        family_name_th=NAMES[case][1],
        given_name_en=NAMES[case][2],
        family_name_en=NAMES[case][3],
    )
    course, _module, _lesson = make_course_tree(title="หลักสูตรการช่วยเหลือผู้เสียหายจากการค้ามนุษย์ในต่างประเทศ")
    printed = printed_certificate(certificate_issue(volunteer=profile.user, course=course))

    document = HTML(string=certificate_html(printed), base_url=str(settings.BASE_DIR)).render(
        font_config=_font_config()
    )
    assert len(document.pages) == 1
    all_boxes = list(boxes(document.pages[0]._page_box))
    frame = next(box for box in all_boxes if "frame" in classes(box))
    right_edge = frame.content_box_x() + frame.width
    text_bottom = max(
        box.position_y + box.margin_height()
        for box in all_boxes
        if classes(box) & {"name", "name-en", "course", "date"}
    )
    fixed_top = min(box.position_y for box in all_boxes if classes(box) & {"signature", "verify"})
    assert text_bottom <= fixed_top  # the names never run into the signature or the QR code
    for paragraph in all_boxes:
        if classes(paragraph) & {"name", "name-en"}:
            for line in boxes(paragraph):
                if type(line).__name__ == "LineBox":
                    assert line.position_x + line.width <= right_edge + 0.5  # and never out of the frame

    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_certificate_pdf(printed))
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = " ".join(
        subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    latin = printed.holder_name_en
    if latin.isascii():
        # Printed as text, markup and all (pdftotext joins hyphenated line ends).
        assert latin.replace(" ", "").replace("-", "") in text.replace(" ", "").replace("-", "")
