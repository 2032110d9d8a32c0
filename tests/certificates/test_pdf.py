"""The certificate PDF: bilingual, Thai fonts embedded, a readable QR code, reproducible bytes."""

import datetime
import shutil
import subprocess

import pytest

from certificates.pdf import PrintedCertificate, certificate_html, render_certificate_pdf

VERIFY_URL = "https://training.example.org/verify/ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ/"


def sample(**changes) -> PrintedCertificate:
    fields = {
        "serial": "MSDHS-2026-000123",
        "verify_url": VERIFY_URL,
        "holder_name_th": "นางสาวกานติมน รักษาเกียรติ",
        "holder_name_en": "Miss Kantimon Raksakiat",
        "course_title_th": "หลักสูตรปฐมนิเทศอาสาสมัคร พม. ในต่างประเทศ",
        "course_title_en": "Orientation for overseas volunteers",
        "issued_on": datetime.date(2026, 11, 25),
        "signatory_name": "นายสมชาย ตัวอย่าง",
        "signatory_title": "ผู้อำนวยการ",
    }
    return PrintedCertificate(**{**fields, **changes})


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "certificate.pdf"
    path.write_bytes(render_certificate_pdf(sample()))
    return path


def test_the_html_prints_both_calendars_and_both_languages():
    html = certificate_html(sample())
    assert "25 พฤศจิกายน 2569" in html
    assert "25 November 2026" in html
    assert "นางสาวกานติมน รักษาเกียรติ" in html and "Miss Kantimon Raksakiat" in html
    assert VERIFY_URL in html


def test_names_are_escaped_in_the_pdf_html():
    html = certificate_html(sample(holder_name_en="<script>alert(1)</script>"))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_a_re_render_gives_the_same_bytes():
    assert render_certificate_pdf(sample()) == render_certificate_pdf(sample())
    assert render_certificate_pdf(sample()) != render_certificate_pdf(sample(holder_name_th="นายสมปอง ดีใจ"))


def test_the_pdf_is_one_a4_landscape_page_with_the_thai_font_embedded(pdf_file):
    info = subprocess.run(["pdfinfo", pdf_file], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    width, height = float(size[2]), float(size[4])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    fonts = subprocess.run(["pdffonts", pdf_file], capture_output=True, text=True, check=True).stdout
    thai_lines = [line for line in fonts.splitlines() if "Certificate-Thai" in line]
    assert thai_lines, fonts
    assert all(" yes yes " in line for line in thai_lines)  # embedded, subset


def test_the_pdf_rasterises_and_its_qr_code_decodes_to_the_verify_url(pdf_file, tmp_path):
    assert shutil.which("pdftoppm") and shutil.which("zbarimg")
    subprocess.run(["pdftoppm", "-png", "-r", "150", pdf_file, tmp_path / "page"], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 20_000  # a real picture, not a blank page
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", png], capture_output=True, text=True, check=True
    ).stdout
    assert decoded.strip() == VERIFY_URL
