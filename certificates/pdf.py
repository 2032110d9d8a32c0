"""Render a certificate as an A4-landscape, bilingual PDF with WeasyPrint.

The PDF is a pure function of what was printed on the certificate (the snapshot) and the
template version, so a re-render gives the same bytes and its SHA-256 can be compared with the
stored one. Fonts are shipped in static/fonts/pdf and loaded with @font-face, independent of the
machine's fonts; a shared FontConfiguration keeps warm renders fast.
"""

import base64
import datetime
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

PDF_TEMPLATE = "certificates/certificate_pdf.html"


@dataclass(frozen=True)
class PrintedCertificate:
    """Everything printed on one certificate: names and titles as issued, never read live."""

    serial: str
    verify_url: str
    holder_name_th: str
    holder_name_en: str
    course_title_th: str
    course_title_en: str
    issued_on: datetime.date
    valid_until_on: datetime.date | None = None  # the last day it is valid (Bangkok), if it expires
    signatory_name: str = ""
    signatory_title: str = ""
    issuer_name_th: str = "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"
    issuer_name_en: str = "Ministry of Social Development and Human Security"
    signature_image: bytes | None = None
    logo_image: bytes | None = None


def _data_uri(image: bytes | None) -> str:
    if not image:
        return ""
    kind = "image/png" if image.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(image).decode()}"


@functools.cache
def weasyprint_module():
    """WeasyPrint, imported once. Importing it tells Pillow to accept truncated pictures in the whole
    process (`ImageFile.LOAD_TRUNCATED_IMAGES`); the site refuses damaged pictures at upload
    (courses.authoring.image_forms), whichever process has made a PDF before, so the flag is put back."""
    import weasyprint
    import weasyprint.text.fonts
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


@functools.cache
def _font_config():
    return weasyprint_module().text.fonts.FontConfiguration()


def _fonts_dir() -> Path:
    found = finders.find("fonts/pdf/NotoSansThai-Regular.ttf")
    if not found:
        raise FileNotFoundError("The certificate fonts are missing from static/fonts/pdf.")
    return Path(found).parent


def certificate_html(certificate: PrintedCertificate) -> str:
    qr_svg = segno.make(certificate.verify_url, error="m").svg_inline(scale=3, border=2)
    return render_to_string(
        PDF_TEMPLATE,
        {
            "certificate": certificate,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 (segno's own SVG of our own URL)
            "fonts_url": _fonts_dir().as_uri(),
            "signature_uri": _data_uri(certificate.signature_image),
            "logo_uri": _data_uri(certificate.logo_image),
        },
    )


def render_certificate_pdf(certificate: PrintedCertificate) -> bytes:
    html = weasyprint_module().HTML(string=certificate_html(certificate), base_url=str(settings.BASE_DIR))
    # No creation date and a fixed identifier keep the bytes reproducible.
    identifier = hashlib.sha256(certificate.serial.encode()).digest()[:16]
    return html.write_pdf(font_config=_font_config(), pdf_identifier=identifier, uncompressed_pdf=False)
