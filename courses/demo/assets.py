"""The demo's images (drawn with Pillow), documents, video, embed and help lines, and the small
builders of lesson body blocks the demo content is written with."""

from __future__ import annotations

import io
import math
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Collection

MEDIA_DIR = Path(__file__).resolve().parent / "media"
TRAINING_MEDIA = "Training media"
PFA_GUIDE_URL = "https://www.who.int/publications/i/item/9789241548205"

BRAND = (11, 83, 148)
ACCENT = (180, 83, 9)
SOFT = (231, 242, 252)
WARM = (254, 243, 199)
GREEN = (22, 101, 52)

HELP_LINES = [
    # country, organisation, phone, hours, languages
    ("TH", "ศูนย์ช่วยเหลือสังคม สายด่วน 1300 (กระทรวง พม.)", "1300", "ทุกวัน 24 ชั่วโมง", "ไทย"),
    ("TH", "สายด่วนสุขภาพจิต กรมสุขภาพจิต", "1323", "ทุกวัน 24 ชั่วโมง", "ไทย"),
    ("NO", "Mental Helse Hjelpetelefonen", "116 123", "ทุกวัน 24 ชั่วโมง", "นอร์เวย์"),
    (
        "NO",
        "Vold- og overgrepslinjen (สายด่วนความรุนแรงและการล่วงละเมิด)",
        "116 006",
        "ทุกวัน 24 ชั่วโมง",
        "นอร์เวย์, อังกฤษ",
    ),
    ("NO", "ตำรวจ (เหตุฉุกเฉิน)", "112", "ทุกวัน 24 ชั่วโมง", "นอร์เวย์, อังกฤษ"),
]


# --- media -------------------------------------------------------------------------------------


def _canvas(background) -> tuple[PillowImage.Image, ImageDraw.ImageDraw]:
    image = PillowImage.new("RGB", (960, 540), background)
    return image, ImageDraw.Draw(image)


def _draw_network() -> PillowImage.Image:
    """People linked across a map: the volunteer network abroad."""
    image, draw = _canvas(SOFT)
    points = [(160, 150), (330, 380), (480, 200), (650, 360), (800, 170), (560, 460)]
    for a, b in [(0, 1), (1, 2), (2, 3), (3, 4), (2, 4), (3, 5), (1, 5), (0, 2)]:
        draw.line([points[a], points[b]], fill=BRAND, width=6)
    for index, (x, y) in enumerate(points):
        colour = ACCENT if index == 2 else BRAND
        draw.ellipse((x - 42, y - 42, x + 42, y + 42), fill=colour)
        draw.ellipse((x - 14, y - 30, x + 14, y - 2), fill=SOFT)
        draw.pieslice((x - 26, y - 2, x + 26, y + 50), 180, 360, fill=SOFT)
    return image


def _draw_home_shelter() -> PillowImage.Image:
    """A house with a shield: safety at home."""
    image, draw = _canvas(WARM)
    draw.polygon([(480, 80), (220, 280), (740, 280)], fill=ACCENT)
    draw.rectangle((280, 280, 680, 480), fill=(255, 255, 255), outline=ACCENT, width=8)
    draw.rectangle((440, 360, 520, 480), fill=ACCENT)
    draw.polygon([(480, 190), (560, 220), (550, 300), (480, 340), (410, 300), (400, 220)], fill=BRAND)
    return image


def _draw_calm_mind() -> PillowImage.Image:
    """Ripples around a calm centre: mental health."""
    image, draw = _canvas(SOFT)
    for radius, width in [(230, 6), (180, 8), (130, 10)]:
        draw.ellipse((480 - radius, 270 - radius, 480 + radius, 270 + radius), outline=BRAND, width=width)
    draw.ellipse((400, 190, 560, 350), fill=GREEN)
    return image


def _draw_welfare() -> PillowImage.Image:
    """Hands holding a coin: the welfare fund and public-benefit organisations."""
    image, draw = _canvas((240, 253, 244))
    draw.pieslice((200, 220, 760, 620), 180, 360, fill=GREEN)
    draw.ellipse((380, 110, 580, 310), fill=(250, 204, 21), outline=ACCENT, width=10)
    draw.rectangle((465, 150, 495, 270), fill=ACCENT)
    return image


def _draw_referral() -> PillowImage.Image:
    """Arrows passing between two places: referring a case across borders."""
    image, draw = _canvas(SOFT)
    draw.ellipse((90, 170, 290, 370), fill=BRAND)
    draw.ellipse((670, 170, 870, 370), fill=ACCENT)
    for y, direction in [(230, 1), (310, -1)]:
        start, end = (320, 640) if direction == 1 else (640, 320)
        draw.line([(start, y), (end, y)], fill=(29, 36, 48), width=10)
        tip = end
        draw.polygon(
            [(tip, y), (tip - 30 * direction, y - 20), (tip - 30 * direction, y + 20)], fill=(29, 36, 48)
        )
    return image


def _draw_platform() -> PillowImage.Image:
    """A phone with a progress bar: using the platform."""
    image, draw = _canvas(SOFT)
    draw.rounded_rectangle((370, 50, 590, 490), radius=30, fill=(29, 36, 48))
    draw.rectangle((390, 90, 570, 440), fill=(255, 255, 255))
    for row in range(4):
        y = 120 + row * 70
        draw.rectangle((410, y, 550, y + 20), fill=BRAND if row else ACCENT)
        draw.rectangle((410, y + 30, 410 + int(140 * (row + 1) / 4), y + 42), fill=GREEN)
    for angle in range(0, 360, 45):
        x = 480 + 300 * math.cos(math.radians(angle))
        y = 270 + 230 * math.sin(math.radians(angle))
        draw.ellipse((x - 8, y - 8, x + 8, y + 8), fill=BRAND)
    return image


IMAGES = {
    "network": ("ภาพประกอบ: เครือข่ายอาสาสมัครไทยในต่างประเทศ", _draw_network),
    "shelter": ("ภาพประกอบ: บ้านที่ปลอดภัย", _draw_home_shelter),
    "mind": ("ภาพประกอบ: ใจที่สงบ", _draw_calm_mind),
    "welfare": ("ภาพประกอบ: กองทุนและองค์กรสาธารณประโยชน์", _draw_welfare),
    "referral": ("ภาพประกอบ: การส่งต่อข้ามประเทศ", _draw_referral),
    "platform": ("ภาพประกอบ: เรียนบนโทรศัพท์", _draw_platform),
}


def training_media_collection() -> Collection:
    return Collection.objects.get(name=TRAINING_MEDIA, depth=2)


def ensure_images() -> dict[str, object]:
    """The demo illustrations in the "Training media" collection, drawn once."""
    Image = get_image_model()
    collection = training_media_collection()
    images = {}
    for key, (title, draw) in IMAGES.items():
        image = Image.objects.filter(title=title, collection=collection).first()
        if image is None:
            buffer = io.BytesIO()
            draw().save(buffer, format="PNG", optimize=True)
            image = Image(
                title=title,
                description=title.split(": ", 1)[-1],
                collection=collection,
                file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"demo-{key}.png"),
            )
            image.save()
        images[key] = image
    return images


SAFETY_PLAN = """แผนความปลอดภัย (ใช้ร่วมกับผู้ถูกกระทำ ไม่ต้องเขียนชื่อจริง)

1. ถ้าต้องออกจากบ้านทันที จะไปที่ไหนได้ (เพื่อน เพื่อนบ้าน ศูนย์พักพิง)
2. เบอร์โทรฉุกเฉินในประเทศที่พำนัก และเบอร์ที่จดจำไว้ได้โดยไม่ต้องเปิดโทรศัพท์
3. เอกสารสำคัญ: หนังสือเดินทาง ใบอนุญาตพำนัก บัตรธนาคาร ยา เก็บไว้ที่ใด
4. สัญญาณหรือคำรหัสที่ตกลงกับคนที่ไว้ใจ เพื่อขอความช่วยเหลือ
5. เด็กในบ้าน: ใครพาไปที่ปลอดภัยได้ และโรงเรียนควรรู้อะไร
6. หลังโทรหรือค้นหาความช่วยเหลือ ล้างประวัติการโทรและการค้นหาหากปลอดภัยที่จะทำ
"""

REFERRAL_FORM = """แบบบันทึกการส่งต่อกรณี (ข้อมูลน้อยที่สุดที่จำเป็น)

- วันที่ติดต่อ:
- ประเทศและเมืองที่ผู้ขอความช่วยเหลือพำนัก:
- ความต้องการหลัก (ความปลอดภัย สุขภาพ ที่พัก เอกสาร อื่น ๆ):
- ระดับความเร่งด่วน (ฉุกเฉิน / ภายใน 24 ชั่วโมง / ติดตามปกติ):
- ความยินยอมในการส่งต่อข้อมูล (ได้รับแล้ว / ยังไม่ได้รับ):
- หน่วยงานที่ส่งต่อ และช่องทางติดต่อ:
- ผู้ติดตามผลและวันที่นัดติดตาม:

ห้ามส่งแบบฟอร์มนี้ทางกลุ่มแชตสาธารณะ ใช้ช่องทางที่ศูนย์ฯ กำหนดเท่านั้น
"""

FUND_CHECKLIST = """รายการเตรียมความพร้อม: ขอรับรองเป็นองค์กรสาธารณประโยชน์และเสนอโครงการต่อกองทุน

- ข้อบังคับหรือธรรมนูญขององค์กร และรายชื่อคณะกรรมการ
- ผลงานด้านสวัสดิการสังคมที่ผ่านมา พร้อมภาพหรือรายงานประกอบ
- บัญชีรายรับรายจ่ายที่ตรวจสอบได้
- ข้อเสนอโครงการ: กลุ่มเป้าหมาย ปัญหา กิจกรรม งบประมาณ และวิธีวัดผล
- ผู้ประสานงานที่ติดต่อได้ และช่องทางรายงานผลต่อศูนย์ฯ
"""


def _document(title: str, filename: str, content: bytes):
    Document = get_document_model()
    collection = training_media_collection()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def ensure_documents() -> dict[str, object]:
    return {
        "video": _document(
            "วิดีโอ: ฝึกหายใจช้า ๆ 16 วินาที", "breathing.mp4", (MEDIA_DIR / "breathing.mp4").read_bytes()
        ),
        "captions": _document(
            "คำบรรยาย: ฝึกหายใจช้า ๆ", "breathing.th.vtt", (MEDIA_DIR / "breathing.th.vtt").read_bytes()
        ),
        "safety_plan": _document("แผนความปลอดภัย (แบบฝึก)", "safety-plan.txt", SAFETY_PLAN.encode()),
        "referral_form": _document("แบบบันทึกการส่งต่อกรณี", "referral-form.txt", REFERRAL_FORM.encode()),
        "fund_checklist": _document(
            "รายการเตรียมความพร้อม องค์กรสาธารณประโยชน์", "fund-checklist.txt", FUND_CHECKLIST.encode()
        ),
    }


def ensure_pfa_embed() -> None:
    """A cached link embed for the WHO guide, so the demo needs no network to render or validate it."""
    Embed.objects.get_or_create(
        hash=get_embed_hash(PFA_GUIDE_URL),
        defaults={
            "url": PFA_GUIDE_URL,
            "type": "link",
            "html": "",
            "title": "Psychological first aid: Guide for field workers",
            "provider_name": "World Health Organization",
            "thumbnail_url": "",
        },
    )


# --- block helpers -----------------------------------------------------------------------------


def heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def text(html: str) -> dict:
    return {"type": "text", "value": html}


def figure(image, alt: str, caption: str = "") -> dict:
    return {"type": "image", "value": {"image": image.pk, "alt_text": alt, "caption": caption}}


def video(documents, title: str) -> dict:
    return {
        "type": "video",
        "value": {
            "video": documents["video"].pk,
            "captions": documents["captions"].pk,
            "captions_language": "th",
            "title": title,
            "transcript": "<p>หายใจเข้าช้า ๆ ทางจมูก นับหนึ่งถึงสี่ แล้วหายใจออกช้า ๆ ทางปาก "
            "นับหนึ่งถึงสี่ ทำซ้ำสองรอบ สังเกตว่าไหล่และมือผ่อนคลายลง</p>",
        },
    }


def embed(url: str, title: str) -> dict:
    return {"type": "embed", "value": {"url": url, "title": title}}


def download(document, title: str, description: str = "") -> dict:
    return {
        "type": "download",
        "value": {"document": document.pk, "title": title, "description": description},
    }


def callout(kind: str, title: str, html: str) -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def help_lines(title: str = "สายด่วนที่ส่งต่อได้", intro: str = "") -> dict:
    return {"type": "help_lines", "value": {"title": title, "intro": intro}}


def key_points(points: list[str], title: str = "ประเด็นสำคัญ") -> dict:
    return {"type": "key_points", "value": {"title": title, "points": points}}


def accordion(items: list[tuple[str, str]], title: str = "คำถามที่พบบ่อย") -> dict:
    return {
        "type": "accordion",
        "value": {"title": title, "items": [{"question": q, "answer": a} for q, a in items]},
    }


def reflection(prompt: str) -> dict:
    return {"type": "reflection", "value": {"prompt": prompt}}
