"""Demo certificates for `seed_demo`: a default template and certificates that show every status,
one about to expire and one expired."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from certificates.expiry import certificate_expiry_reminders_send
from certificates.models import Certificate, CertificateTemplate
from certificates.services import (
    certificate_issue,
    certificate_pdf_store,
    certificate_reissue,
    certificate_revoke,
    certificate_template_saved,
)
from courses.models import CoursePage
from training.dates import end_of_day_months_later, issuer_zone
from volunteers.demo import demo_login_give

TEMPLATE_NAME = "แม่แบบมาตรฐาน"
SIGNATORY = ("นายสมศักดิ์ ตัวอย่าง", "ผู้อำนวยการศูนย์ประสานงานอาสาสมัครในต่างประเทศ (ตัวอย่าง)")
ARTWORK_COLLECTION = "Certificate artwork"
DEMO_REASON = "ผ่านการอบรมแบบห้องเรียน ณ กรุงออสโล (ข้อมูลตัวอย่าง)"


def _draw_signature() -> PillowImage.Image:
    image = PillowImage.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(20, 80), (60, 40), (90, 90), (130, 30), (170, 85), (210, 45), (250, 80), (300, 50), (340, 70)]
    draw.line(points, fill=(20, 40, 110, 255), width=5, joint="curve")
    return image


def _draw_logo() -> PillowImage.Image:
    image = PillowImage.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), outline=(11, 83, 148, 255), width=12)
    draw.ellipse((70, 50, 170, 150), fill=(11, 83, 148, 255))
    draw.pieslice((40, 120, 200, 260), 180, 360, fill=(180, 83, 9, 255))
    return image


def _image(title: str, draw) -> object:
    """A demo signature or logo, in the staff-only "Certificate artwork" collection that trainers
    cannot choose from (certificates/migrations/0009_certificate_artwork_collection.py)."""
    Image = get_image_model()
    artwork = Collection.objects.get(name=ARTWORK_COLLECTION, depth=2)
    image = Image.objects.filter(title=title).first()
    if image is None:
        buffer = io.BytesIO()
        draw().save(buffer, format="PNG", optimize=True)
        image = Image(
            title=title,
            collection=artwork,
            file=ImageFile(io.BytesIO(buffer.getvalue()), name="certificate-demo.png"),
        )
        image.save()
    elif image.collection_id != artwork.pk:
        image.collection = artwork
        image.save(update_fields=["collection"])
    return image


def seed_certificates() -> None:
    """The default template, and demo certificates: valid, revoked and superseded; idempotent."""
    staff = get_user_model().objects.get(email="staff@example.org")
    template = CertificateTemplate.objects.filter(name=TEMPLATE_NAME, course__isnull=True).first()
    if template is None:
        template = CertificateTemplate.objects.create(
            name=TEMPLATE_NAME,
            signatory_name=SIGNATORY[0],
            signatory_title=SIGNATORY[1],
            signature_image=_image("ลายมือชื่อตัวอย่าง", _draw_signature),
            logo_image=_image("ตราสัญลักษณ์ตัวอย่าง", _draw_logo),
        )
        certificate_template_saved(template=template, actor=staff)
    orientation = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    User = get_user_model()
    plan = [
        ("volunteer@example.org", None),
        ("kanya.no@example.org", None),
        ("malai.se@example.org", "revoke"),
        ("napa.dk@example.org", "reissue"),
    ]
    for email, change in plan:
        volunteer = User.objects.filter(email=email).first()
        if volunteer is None or Certificate.objects.filter(volunteer=volunteer, course=orientation).exists():
            continue
        certificate = certificate_issue(
            volunteer=volunteer, course=orientation, actor=staff, reason=DEMO_REASON
        )
        if change == "revoke":
            certificate_revoke(certificate=certificate, actor=staff, reason="ออกให้ผิดคน (ข้อมูลตัวอย่าง)")
        elif change == "reissue":
            certificate_reissue(certificate=certificate, actor=staff, reason="แก้ไขการสะกดชื่อ (ข้อมูลตัวอย่าง)")
    _seed_expiring_certificates(orientation, staff)
    for certificate in Certificate.objects.filter(pdf="").exclude(status=Certificate.Status.WITHDRAWN):
        certificate_pdf_store(certificate=certificate)


def _seed_expiring_certificates(orientation: CoursePage, staff) -> None:
    """The orientation certificate is valid three years: one demo certificate expires in about 40
    days (its holder was reminded and is offered the refresher course), one expired 5 days ago
    (its holder is flagged for staff on the record and the registration screen). Issued through
    the real service with a backdated completion, as staff record a course done elsewhere."""
    User = get_user_model()
    zone = issuer_zone()
    now = timezone.now()
    for email, expires, what in (
        ("prasert.no@example.org", now + datetime.timedelta(days=40), "volunteer, certificate expiring"),
        ("wichai.se@example.org", now - datetime.timedelta(days=5), "volunteer, certificate expired"),
    ):
        volunteer = User.objects.filter(email=email).first()
        if volunteer is None:
            continue
        demo_login_give(email, what)
        if Certificate.objects.filter(volunteer=volunteer, course=orientation).exists():
            continue
        # The completion that makes the certificate expire on that day (end of day, Bangkok).
        completed_at = end_of_day_months_later(expires, -orientation.certificate_valid_months, zone)
        completed_at -= datetime.timedelta(hours=8)
        certificate_issue(
            volunteer=volunteer,
            course=orientation,
            completed_at=completed_at,
            actor=staff,
            reason=DEMO_REASON,
        )
    # The reminder and the expiry notice, as the hourly job sends them.
    certificate_expiry_reminders_send()
