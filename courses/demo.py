"""Demo courses for `seed_demo`: an orientation course for new overseas volunteers (Thai, five
modules, every lesson block type), a short follow-up course that needs it first, and a short course
on using the platform. Images are drawn with Pillow when the seeder runs; the short demo video and
its captions are small files in `courses/demo_media/`."""

from __future__ import annotations

import io
import math
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.services import (
    catalog_translation_ensure,
    course_content_upsert,
    course_review_require,
    help_line_upsert,
)

MEDIA_DIR = Path(__file__).resolve().parent / "demo_media"
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


# --- content -----------------------------------------------------------------------------------


def orientation_modules(images, documents) -> list[dict]:
    """Five modules of the orientation course, each a dict with its lessons."""
    return [
        {
            "slug": "role-and-ethics",
            "title": "บทบาทและจริยธรรมของอาสาสมัคร",
            "summary": "อาสาสมัคร พม. ในต่างประเทศทำอะไร ไม่ทำอะไร และรักษาความไว้วางใจของคนที่มาขอความช่วยเหลืออย่างไร",
            "lessons": [
                {
                    "slug": "who-we-are",
                    "title": "อาสาสมัคร พม. ในต่างประเทศคือใคร",
                    "minutes": 10,
                    "body": [
                        heading("เครือข่ายที่อยู่ใกล้คนไทยในต่างแดน"),
                        text(
                            "<p>อาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์ในต่างประเทศ (อพม. ในต่างประเทศ) "
                            "คือคนไทยที่ทำงานในมูลนิธิ สมาคม ชมรม หรือกลุ่มคนไทยในประเทศที่พำนัก "
                            "และสมัครใจเป็น<b>จุดเชื่อมต่อ</b>ระหว่างคนไทยที่เดือดร้อนกับหน่วยงานที่ช่วยเหลือได้</p>"
                            "<p>อาสาสมัครไม่ได้แทนที่ตำรวจ แพทย์ หรือนักสังคมสงเคราะห์ แต่ช่วยให้คนที่เดือดร้อน"
                            "รู้ว่าจะไปที่ใด และไปถึงความช่วยเหลือได้เร็วขึ้นด้วยภาษาที่เขาเข้าใจ</p>"
                        ),
                        figure(
                            images["network"],
                            "วงกลมหลายวงแทนคนไทยในหลายเมือง เชื่อมกันด้วยเส้น โดยมีวงกลมสีส้มตรงกลางแทนอาสาสมัคร",
                            "อาสาสมัครเป็นจุดเชื่อมระหว่างคนไทยกับหน่วยงานช่วยเหลือ",
                        ),
                        key_points(
                            [
                                "รับฟังและให้ข้อมูลเบื้องต้นเป็นภาษาไทย",
                                "ส่งต่อไปยังหน่วยงานที่เหมาะสมทั้งในประเทศที่พำนักและในประเทศไทย",
                                "รายงานสถานการณ์ของชุมชนต่อศูนย์ส่งเสริมและประสานการพัฒนาสังคมไทยในต่างประเทศ",
                            ]
                        ),
                        reflection(
                            "นึกถึงคนไทยในชุมชนของคุณที่อาจไม่รู้ว่าจะขอความช่วยเหลือจากใคร เขาเป็นใคร และอะไรทำให้เขาเข้าถึงความช่วยเหลือได้ยาก"
                        ),
                    ],
                },
                {
                    "slug": "ethics-and-confidentiality",
                    "title": "จริยธรรม การรักษาความลับ และขอบเขตของบทบาท",
                    "minutes": 15,
                    "body": [
                        text(
                            "<p>ความไว้วางใจคือเครื่องมือที่สำคัญที่สุดของอาสาสมัคร คนที่เล่าเรื่องยากให้เราฟัง"
                            "ต้องมั่นใจว่าเรื่องของเขาจะไม่ถูกนำไปเล่าต่อในชุมชน</p>"
                            "<ul><li>ขอความยินยอมก่อนส่งต่อข้อมูลทุกครั้ง</li>"
                            "<li>บันทึกเฉพาะข้อมูลที่จำเป็น และเก็บในช่องทางที่ศูนย์ฯ กำหนด</li>"
                            "<li>ไม่รับเงินหรือของตอบแทนจากผู้ขอความช่วยเหลือ</li></ul>"
                        ),
                        callout(
                            "warning",
                            "เมื่อชีวิตตกอยู่ในอันตราย",
                            "<p>ถ้ามีคนเสี่ยงต่อการถูกทำร้ายหรือทำร้ายตัวเอง <b>โทรแจ้งเหตุฉุกเฉินของประเทศที่พำนักทันที</b> "
                            "ความปลอดภัยของชีวิตมาก่อนการรักษาความลับ</p>",
                        ),
                        accordion(
                            [
                                (
                                    "ถ้าเพื่อนในชุมชนถามว่าครอบครัวหนึ่งมีปัญหาอะไร ควรตอบอย่างไร",
                                    "<p>ตอบอย่างสุภาพว่าเราไม่สามารถพูดถึงเรื่องของผู้อื่นได้ "
                                    "ไม่ยืนยันและไม่ปฏิเสธว่าเคยคุยกับครอบครัวนั้น</p>",
                                ),
                                (
                                    "ช่วยเรื่องที่อยู่นอกความรู้ของเราได้ไหม",
                                    "<p>บอกตรง ๆ ว่าเรื่องนี้อยู่นอกความรู้ของเรา แล้วช่วยหาหน่วยงานที่ถูกต้อง "
                                    "การเดาอาจทำให้เขาเสียโอกาสหรือเสี่ยงมากขึ้น</p>",
                                ),
                                (
                                    "ให้เบอร์โทรส่วนตัวได้หรือไม่",
                                    "<p>ควรใช้ช่องทางขององค์กรหรือเบอร์ที่ใช้สำหรับงานอาสาสมัคร "
                                    "เพื่อรักษาขอบเขตและความปลอดภัยของทั้งสองฝ่าย</p>",
                                ),
                            ]
                        ),
                        key_points(
                            ["ขอความยินยอมก่อนส่งต่อ", "เก็บข้อมูลให้น้อยที่สุด", "รู้ขอบเขตของตัวเองและส่งต่อเมื่อเกินกำลัง"]
                        ),
                    ],
                },
                {
                    "slug": "self-care",
                    "title": "ดูแลตัวเองระหว่างช่วยเหลือผู้อื่น",
                    "minutes": 8,
                    "required": False,
                    "body": [
                        text(
                            "<p>การรับฟังเรื่องยากซ้ำ ๆ ทำให้เหนื่อยล้าทางใจได้ นี่ไม่ใช่ความอ่อนแอ "
                            "แต่เป็นสัญญาณว่าเราต้องพักและพูดคุยกับคนที่ไว้ใจ</p>"
                            "<p>ลองฝึกหายใจช้า ๆ ตามวิดีโอนี้ ใช้ได้ทั้งกับตัวเองและกับคนที่กำลังตื่นตระหนก</p>"
                        ),
                        video(documents, "ฝึกหายใจช้า ๆ พร้อมวงกลมที่ขยายและหด"),
                        reflection("สัปดาห์นี้คุณทำอะไรเพื่อพักใจบ้าง และใครคือคนที่คุณคุยด้วยได้เมื่อรู้สึกหนัก"),
                    ],
                },
            ],
        },
        {
            "slug": "domestic-violence",
            "title": "รู้จักและรับมือกับความรุนแรงในครอบครัว",
            "summary": "สัญญาณเตือน การพูดคุยอย่างปลอดภัย และการวางแผนความปลอดภัยร่วมกับผู้ถูกกระทำ",
            "lessons": [
                {
                    "slug": "recognising-abuse",
                    "title": "สัญญาณของความรุนแรงในครอบครัว",
                    "minutes": 15,
                    "sensitive": True,
                    "note": "บทเรียนนี้พูดถึงความรุนแรงทางร่างกาย จิตใจ เพศ และการเงินในครอบครัว",
                    "body": [
                        text(
                            "<p>ความรุนแรงในครอบครัวไม่ได้มีแค่การทำร้ายร่างกาย แต่รวมถึงการข่มขู่ การควบคุมเงิน "
                            "การยึดหนังสือเดินทาง การกีดกันไม่ให้พบเพื่อน และการบังคับทางเพศ</p>"
                            "<p>คนไทยในต่างประเทศอาจเสี่ยงมากขึ้นเพราะพูดภาษาท้องถิ่นไม่คล่อง "
                            "สถานะการพำนักผูกกับคู่สมรส หรือไม่รู้จักหน่วยงานช่วยเหลือ</p>"
                        ),
                        key_points(
                            [
                                "มีบาดแผลที่อธิบายไม่ได้ หรือคำอธิบายไม่ตรงกับบาดแผล",
                                "ไม่มีเงินหรือเอกสารของตัวเอง",
                                "ดูกลัวหรือต้องขออนุญาตคู่ก่อนทำทุกอย่าง",
                                "ค่อย ๆ หายไปจากกิจกรรมของชุมชน",
                            ],
                            title="สัญญาณที่ควรสังเกต",
                        ),
                        callout(
                            "warning",
                            "อย่าเผชิญหน้ากับผู้กระทำเอง",
                            "<p>การไปต่อว่าหรือไกล่เกลี่ยกับผู้กระทำอาจทำให้ผู้ถูกกระทำตกอยู่ในอันตรายมากขึ้น "
                            "ให้ส่งต่อหน่วยงานที่มีอำนาจและความเชี่ยวชาญ</p>",
                        ),
                        help_lines(intro="ส่งต่อสายด่วนเหล่านี้ให้ผู้ถูกกระทำเมื่อปลอดภัยที่จะทำ"),
                    ],
                },
                {
                    "slug": "talking-safely",
                    "title": "การพูดคุยกับผู้ถูกกระทำอย่างปลอดภัย",
                    "minutes": 15,
                    "sensitive": True,
                    "body": [
                        heading("ก่อนเริ่มพูดคุย"),
                        text(
                            "<p>หาที่ที่ผู้กระทำไม่ได้ยิน ถามว่าตอนนี้คุยได้ปลอดภัยไหม และตกลงกันว่า"
                            "ถ้ามีคนเข้ามาจะเปลี่ยนเรื่องคุยอย่างไร</p>"
                        ),
                        heading("ระหว่างพูดคุย", "h3"),
                        text(
                            "<ol><li>เชื่อในสิ่งที่เขาเล่า และบอกว่าไม่ใช่ความผิดของเขา</li>"
                            "<li>ถามว่าเขาต้องการอะไร แทนที่จะบอกว่าเขาควรทำอะไร</li>"
                            "<li>ให้ข้อมูลทางเลือก และเคารพการตัดสินใจของเขา</li></ol>"
                        ),
                        accordion(
                            [
                                (
                                    "ถ้าเขาไม่อยากแจ้งตำรวจ",
                                    "<p>เคารพการตัดสินใจ ให้ข้อมูลสายด่วนและศูนย์พักพิงไว้ใช้เมื่อพร้อม "
                                    "ยกเว้นเมื่อมีอันตรายถึงชีวิตหรือมีเด็กตกอยู่ในอันตราย ให้แจ้งเหตุฉุกเฉิน</p>",
                                ),
                                (
                                    "ถ้าเขากลัวว่าจะถูกส่งกลับประเทศ",
                                    "<p>อธิบายว่าในหลายประเทศ ผู้ถูกกระทำมีสิทธิได้รับความคุ้มครองโดยไม่ขึ้นกับคู่สมรส "
                                    "และช่วยประสานสถานทูตหรือนักกฎหมายเพื่อข้อมูลที่ถูกต้องในประเทศนั้น</p>",
                                ),
                            ]
                        ),
                        reflection("ประโยคแรกที่คุณจะพูดกับคนที่เพิ่งเล่าว่าถูกทำร้ายคืออะไร ลองเขียนเป็นคำพูดของคุณเอง"),
                        help_lines(),
                    ],
                },
                {
                    "slug": "safety-planning",
                    "title": "วางแผนความปลอดภัย",
                    "minutes": 12,
                    "sensitive": True,
                    "body": [
                        text(
                            "<p>แผนความปลอดภัยคือสิ่งที่ผู้ถูกกระทำเตรียมไว้ล่วงหน้า เพื่อออกจากสถานการณ์อันตรายได้ทันที "
                            "อาสาสมัครช่วยคิดได้ แต่ผู้ถูกกระทำเป็นผู้ตัดสินใจ</p>"
                        ),
                        figure(
                            images["shelter"],
                            "บ้านสีส้มที่มีโล่สีน้ำเงินอยู่ใต้หลังคา",
                            "บ้านควรเป็นที่ปลอดภัย แผนความปลอดภัยช่วยเมื่อบ้านไม่ใช่ที่ปลอดภัย",
                        ),
                        download(
                            documents["safety_plan"],
                            "แผนความปลอดภัย (แบบฝึก)",
                            "หัวข้อที่ใช้คุยร่วมกัน ไม่ต้องเขียนชื่อจริงลงในเอกสาร",
                        ),
                        callout(
                            "info",
                            "เก็บเอกสารไว้ที่ปลอดภัย",
                            "<p>ถ้าผู้ถูกกระทำจะเก็บแผนไว้ ให้เก็บในที่ที่ผู้กระทำไม่พบ เช่น ฝากไว้กับคนที่ไว้ใจ</p>",
                        ),
                    ],
                },
            ],
        },
        {
            "slug": "mental-health",
            "title": "สุขภาพจิตและการปฐมพยาบาลทางใจ",
            "summary": "รู้จักภาวะซึมเศร้า การปฐมพยาบาลทางใจแบบ สอดส่อง ใส่ใจ ส่งต่อ และการรับมือเมื่อมีความเสี่ยงฆ่าตัวตาย",
            "lessons": [
                {
                    "slug": "depression",
                    "title": "รู้จักภาวะซึมเศร้า",
                    "minutes": 12,
                    "sensitive": True,
                    "note": "บทเรียนนี้พูดถึงภาวะซึมเศร้าและความคิดอยากตาย",
                    "body": [
                        text(
                            "<p>ภาวะซึมเศร้าเป็นความเจ็บป่วยที่รักษาได้ ไม่ใช่ความอ่อนแอหรือการคิดมาก "
                            "การอยู่ห่างบ้าน ความโดดเดี่ยว และความกดดันเรื่องงานหรือครอบครัว เพิ่มความเสี่ยงได้</p>"
                        ),
                        key_points(
                            [
                                "เศร้า หงุดหงิด หรือรู้สึกว่างเปล่าเกือบทุกวันนานกว่าสองสัปดาห์",
                                "ไม่สนใจสิ่งที่เคยชอบ",
                                "นอนหรือกินผิดไปจากเดิมมาก",
                                "รู้สึกไร้ค่า หรือพูดถึงความตาย",
                            ],
                            title="อาการที่พบบ่อย",
                        ),
                        figure(
                            images["mind"],
                            "วงกลมสีเขียวตรงกลาง ล้อมด้วยวงคลื่นสีน้ำเงินหลายชั้น",
                            "ใจที่สงบค่อย ๆ กลับมาได้เมื่อได้รับการดูแล",
                        ),
                        callout(
                            "info",
                            "อาสาสมัครไม่ใช่ผู้วินิจฉัย",
                            "<p>หน้าที่ของเราคือสังเกต รับฟัง และช่วยให้เขาไปพบผู้เชี่ยวชาญ ไม่ใช่การวินิจฉัยโรค</p>",
                        ),
                    ],
                },
                {
                    "slug": "psychological-first-aid",
                    "title": "การปฐมพยาบาลทางใจเบื้องต้น: สอดส่อง ใส่ใจ ส่งต่อ",
                    "minutes": 20,
                    "body": [
                        text(
                            "<p><b>สอดส่อง</b> มองหาคนที่มีสัญญาณความทุกข์และดูว่าปลอดภัยไหม "
                            "<b>ใส่ใจ</b> รับฟังอย่างตั้งใจโดยไม่ตัดสิน "
                            "<b>ส่งต่อ</b> เชื่อมเขากับความช่วยเหลือที่ต้องการ</p>"
                        ),
                        embed(PFA_GUIDE_URL, "คู่มือการปฐมพยาบาลทางใจขององค์การอนามัยโลก (ภาษาอังกฤษ)"),
                        video(documents, "ฝึกหายใจช้า ๆ ร่วมกับผู้ที่กำลังตื่นตระหนก"),
                        accordion(
                            [
                                (
                                    "ควรพูดว่า 'อย่าคิดมาก' ไหม",
                                    "<p>ไม่ควร ประโยคนี้ทำให้เขารู้สึกว่าไม่มีใครเข้าใจ ลองพูดว่า 'เล่าให้ฟังได้นะ ฉันฟังอยู่'</p>",
                                ),
                                (
                                    "ถ้าเขาร้องไห้ระหว่างคุย",
                                    "<p>ให้เวลาเขา อยู่ข้าง ๆ อย่างสงบ การร้องไห้เป็นการปลดปล่อยที่เป็นธรรมชาติ</p>",
                                ),
                            ]
                        ),
                    ],
                },
                {
                    "slug": "suicide-risk",
                    "title": "เมื่อมีความเสี่ยงฆ่าตัวตาย",
                    "minutes": 15,
                    "sensitive": True,
                    "note": "บทเรียนนี้พูดถึงการฆ่าตัวตายโดยตรง ถ้าคุณเองกำลังรู้สึกไม่ไหว โปรดติดต่อสายด่วนด้านล่าง",
                    "body": [
                        callout(
                            "warning",
                            "ถามตรง ๆ ได้",
                            "<p>การถามว่า 'คุณคิดจะทำร้ายตัวเองหรือเปล่า' <b>ไม่ได้</b>ทำให้เขาคิดฆ่าตัวตาย "
                            "แต่เปิดโอกาสให้เขาได้พูด</p>",
                        ),
                        text(
                            "<p>ถ้าเขามีแผนหรือมีอุปกรณ์แล้ว อย่าปล่อยให้อยู่คนเดียว โทรแจ้งเหตุฉุกเฉินของประเทศที่พำนัก "
                            "และอยู่กับเขาจนกว่าความช่วยเหลือจะมาถึง</p>"
                        ),
                        help_lines(intro="สายด่วนสุขภาพจิตและเหตุฉุกเฉิน"),
                        key_points(["ถามตรง ๆ", "อยู่ด้วย ไม่ปล่อยให้อยู่คนเดียว", "โทรขอความช่วยเหลือทันทีเมื่อมีแผน"]),
                    ],
                },
            ],
        },
        {
            "slug": "welfare-rights",
            "title": "สิทธิสวัสดิการและองค์กรสาธารณประโยชน์",
            "summary": "การรับรององค์กรสาธารณประโยชน์ตามพระราชบัญญัติส่งเสริมการจัดสวัสดิการสังคม พ.ศ. 2546 และกองทุนส่งเสริมการจัดสวัสดิการสังคม",
            "lessons": [
                {
                    "slug": "public-benefit-organisations",
                    "title": "องค์กรสาธารณประโยชน์ในต่างประเทศ",
                    "minutes": 12,
                    "body": [
                        text(
                            "<p>มูลนิธิ สมาคม ชมรม และกลุ่มคนไทยในต่างประเทศที่ทำงานด้านสวัสดิการสังคม "
                            "สามารถขอรับรองเป็น<b>องค์กรสาธารณประโยชน์</b>ตามพระราชบัญญัติส่งเสริมการจัดสวัสดิการสังคม "
                            "พ.ศ. 2546 ได้ เมื่อได้รับการรับรองแล้ว องค์กรสามารถเสนอโครงการขอรับการสนับสนุนจากกองทุนได้</p>"
                        ),
                        figure(
                            images["welfare"], "มือสีเขียวรองรับเหรียญสีทอง", "การรับรองเปิดทางสู่การสนับสนุนจากกองทุน"
                        ),
                        key_points(
                            [
                                "องค์กรต้องทำงานด้านสวัสดิการสังคมอย่างต่อเนื่องและไม่แสวงหากำไร",
                                "มีผู้รับผิดชอบและบัญชีที่ตรวจสอบได้",
                                "ศูนย์ส่งเสริมและประสานการพัฒนาสังคมไทยในต่างประเทศให้คำแนะนำการยื่นขอรับรอง",
                            ]
                        ),
                    ],
                },
                {
                    "slug": "welfare-fund",
                    "title": "กองทุนส่งเสริมการจัดสวัสดิการสังคม",
                    "minutes": 12,
                    "body": [
                        text(
                            "<p>กองทุนส่งเสริมการจัดสวัสดิการสังคมสนับสนุนโครงการที่ช่วยให้คนเข้าถึงสวัสดิการ "
                            "เช่น กิจกรรมป้องกันความรุนแรงในครอบครัว กลุ่มช่วยเหลือกันเองด้านสุขภาพจิต "
                            "หรือการให้ข้อมูลสิทธิแก่คนไทยที่เพิ่งย้ายมา</p>"
                        ),
                        accordion(
                            [
                                (
                                    "โครงการแบบไหนเหมาะกับกองทุน",
                                    "<p>โครงการที่มีกลุ่มเป้าหมายชัดเจน แก้ปัญหาที่เกิดขึ้นจริงในชุมชน และวัดผลได้</p>",
                                ),
                                (
                                    "อาสาสมัครช่วยอะไรได้บ้าง",
                                    "<p>ช่วยรวบรวมความต้องการของชุมชน ช่วยองค์กรเตรียมเอกสาร และรายงานผลหลังดำเนินโครงการ</p>",
                                ),
                            ]
                        ),
                        download(documents["fund_checklist"], "รายการเตรียมความพร้อมขององค์กร"),
                    ],
                },
            ],
        },
        {
            "slug": "cross-border-referral",
            "title": "การส่งต่อกรณีข้ามประเทศ",
            "summary": "ขั้นตอนการส่งต่อกรณีระหว่างประเทศที่พำนักกับประเทศไทย โดยใช้ข้อมูลให้น้อยที่สุดและได้รับความยินยอม",
            "lessons": [
                {
                    "slug": "referral-steps",
                    "title": "ขั้นตอนการส่งต่อ",
                    "minutes": 15,
                    "body": [
                        heading("ห้าขั้นตอน"),
                        text(
                            "<ol><li>ประเมินความเร่งด่วนและความปลอดภัย</li>"
                            "<li>ขอความยินยอมในการส่งต่อข้อมูล</li>"
                            "<li>เลือกหน่วยงานที่เหมาะสม ในประเทศที่พำนักก่อนเสมอ</li>"
                            "<li>ส่งข้อมูลที่จำเป็นผ่านช่องทางที่ศูนย์ฯ กำหนด</li>"
                            "<li>ติดตามผลตามวันที่นัดไว้</li></ol>"
                        ),
                        figure(
                            images["referral"],
                            "ลูกศรสองเส้นส่งต่อกันระหว่างวงกลมสีน้ำเงินและสีส้ม",
                            "การส่งต่อเป็นงานสองทางที่ต้องติดตามผล",
                        ),
                        key_points(
                            ["ความปลอดภัยก่อน", "ความยินยอมก่อนส่งข้อมูล", "ส่งต่อในประเทศที่พำนักก่อน", "ติดตามผลเสมอ"]
                        ),
                        download(
                            documents["referral_form"], "แบบบันทึกการส่งต่อกรณี", "ข้อมูลน้อยที่สุดที่จำเป็นต่อการส่งต่อ"
                        ),
                    ],
                },
                {
                    "slug": "working-with-local-services",
                    "title": "ทำงานร่วมกับหน่วยงานในประเทศที่พำนัก",
                    "minutes": 12,
                    "body": [
                        text(
                            "<p>หน่วยงานในประเทศที่พำนัก เช่น ตำรวจ ศูนย์พักพิง และบริการสุขภาพจิต "
                            "มีอำนาจและทรัพยากรที่อาสาสมัครไม่มี งานของเราคือช่วยให้คนไทยเข้าถึงบริการเหล่านี้ "
                            "และช่วยแปลความหมายทางวัฒนธรรมเมื่อจำเป็น</p>"
                        ),
                        callout(
                            "info",
                            "ล่ามอาชีพ",
                            "<p>ในเรื่องทางกฎหมายหรือการแพทย์ ควรขอล่ามอาชีพจากหน่วยงาน อาสาสมัครไม่ควรเป็นล่ามเอง "
                            "เพราะอาจเกิดความผิดพลาดและกระทบความเป็นกลาง</p>",
                        ),
                        help_lines(intro="สายด่วนตามประเทศที่คุณพำนัก"),
                        reflection("หน่วยงานสามแห่งในเมืองของคุณที่คุณควรรู้จักก่อนเกิดเหตุคือที่ใด"),
                    ],
                },
            ],
        },
    ]


def followup_modules(images, documents) -> list[dict]:
    return [
        {
            "slug": "case-practice",
            "title": "ฝึกจากกรณีตัวอย่าง",
            "summary": "กรณีสมมติสองกรณีเพื่อฝึกการตัดสินใจส่งต่อ",
            "lessons": [
                {
                    "slug": "case-nok",
                    "title": "กรณีของ 'นก' (นามสมมติ)",
                    "minutes": 15,
                    "sensitive": True,
                    "body": [
                        text(
                            "<p>นกแต่งงานกับชาวต่างชาติและย้ายมาอยู่ได้หนึ่งปี เธอโทรหาคุณตอนดึก "
                            "บอกว่าสามียึดหนังสือเดินทางและไม่ให้ออกจากบ้าน</p>"
                        ),
                        accordion(
                            [
                                (
                                    "คุณจะถามอะไรเป็นอย่างแรก",
                                    "<p>ตอนนี้คุณปลอดภัยไหม และคุยได้โดยที่เขาไม่ได้ยินหรือเปล่า</p>",
                                ),
                                (
                                    "ใครควรเป็นผู้รับการส่งต่อ",
                                    "<p>สายด่วนความรุนแรงของประเทศที่พำนัก และสถานทูตไทยเรื่องเอกสาร</p>",
                                ),
                            ],
                            title="คำถามชวนคิด",
                        ),
                        help_lines(),
                    ],
                },
                {
                    "slug": "case-somchai",
                    "title": "กรณีของ 'สมชาย' (นามสมมติ)",
                    "minutes": 15,
                    "body": [
                        text(
                            "<p>สมชายตกงานและส่งข้อความในกลุ่มชุมชนว่า 'ไม่อยากอยู่แล้ว' "
                            "เพื่อนในกลุ่มถามคุณว่าควรทำอย่างไร</p>"
                        ),
                        reflection("คุณจะติดต่อสมชายอย่างไรภายในหนึ่งชั่วโมงนี้ และจะพูดประโยคแรกว่าอะไร"),
                        callout(
                            "warning",
                            "ข้อความแบบนี้ต้องตอบทันที",
                            "<p>ติดต่อเขาโดยตรงและถามตรง ๆ ถ้าติดต่อไม่ได้และมีความเสี่ยง ให้แจ้งเหตุฉุกเฉิน</p>",
                        ),
                    ],
                },
            ],
        }
    ]


def platform_modules(images, documents) -> list[dict]:
    return [
        {
            "slug": "getting-started",
            "title": "เริ่มต้นใช้งาน",
            "summary": "ค้นหาหลักสูตร เรียนบนโทรศัพท์ และติดตามความก้าวหน้า",
            "lessons": [
                {
                    "slug": "find-a-course",
                    "title": "ค้นหาหลักสูตรและเริ่มเรียน",
                    "minutes": 5,
                    "body": [
                        text(
                            "<p>หน้ารวมหลักสูตรแสดงหลักสูตรทั้งหมด กรองตามหัวข้อ หรือพิมพ์คำที่ต้องการในช่องค้นหา "
                            "ระบบค้นหาทั้งในหลักสูตรและในบทเรียน</p>"
                        ),
                        figure(
                            images["platform"],
                            "โทรศัพท์แสดงรายการบทเรียนพร้อมแถบความก้าวหน้าสีเขียว",
                            "เรียนบนโทรศัพท์ได้ทุกที่",
                        ),
                        key_points(
                            ["เลือกหัวข้อเพื่อกรองหลักสูตร", "บทเรียนที่ไม่บังคับมีป้ายกำกับ", "เรียนต่อจากบทเรียนถัดไปได้ที่ท้ายหน้า"]
                        ),
                    ],
                },
                {
                    "slug": "sensitive-lessons",
                    "title": "บทเรียนที่มีเนื้อหาอ่อนไหวและปุ่มออกด่วน",
                    "minutes": 5,
                    "body": [
                        text(
                            "<p>บทเรียนเรื่องความรุนแรงหรือสุขภาพจิตจะเริ่มด้วยคำเตือนเนื้อหา และมีปุ่ม "
                            "<b>ออกด่วน</b> สีแดง กดแล้วจะไปยังเว็บไซต์ทั่วไปทันที ใช้ได้แม้ไม่ได้เปิด JavaScript</p>"
                        ),
                        callout(
                            "info",
                            "เรียนในที่ที่สบายใจ",
                            "<p>ถ้าคุณอยู่ในสถานการณ์ที่ไม่ปลอดภัย ให้เรียนเมื่อมีความเป็นส่วนตัว</p>",
                        ),
                    ],
                },
            ],
        }
    ]


COURSES = [
    {
        "slug": "orientation",
        "title": "ปฐมนิเทศอาสาสมัคร พม. ในต่างประเทศ",
        "summary": "หลักสูตรพื้นฐานสำหรับอาสาสมัครใหม่: บทบาทและจริยธรรม ความรุนแรงในครอบครัว สุขภาพจิต สิทธิสวัสดิการ และการส่งต่อข้ามประเทศ",
        "description": "<p>หลักสูตรนี้เตรียมอาสาสมัครใหม่ให้พร้อมช่วยเหลือคนไทยในต่างประเทศอย่างปลอดภัยและมีจริยธรรม "
        "เรียนจบแล้วได้รับใบประกาศนียบัตร และเป็นเงื่อนไขก่อนขึ้นทะเบียนเป็นอาสาสมัคร</p>",
        "cover": "network",
        "cover_alt": "วงกลมหลายวงแทนคนไทยในหลายเมือง เชื่อมกันด้วยเส้นเป็นเครือข่าย",
        "tags": ["บทบาทอาสาสมัคร", "ความรุนแรงในครอบครัว", "สุขภาพจิต", "กฎหมายสวัสดิการ", "การส่งต่อข้ามประเทศ"],
        "hours": 6,
        "audience": "อาสาสมัครใหม่และผู้สมัครเป็นอาสาสมัคร พม. ในต่างประเทศ",
        "certificate": True,
        "required": True,
        "modules": orientation_modules,
        "review": True,
    },
    {
        "slug": "case-practice",
        "title": "ฝึกปฏิบัติ: การส่งต่อกรณีความรุนแรงและวิกฤตทางใจ",
        "summary": "ฝึกตัดสินใจจากกรณีสมมติสองกรณี ต่อยอดจากหลักสูตรปฐมนิเทศ",
        "description": "<p>หลักสูตรสั้นสำหรับผู้ที่เรียนหลักสูตรปฐมนิเทศจบแล้ว</p>",
        "cover": "referral",
        "cover_alt": "ลูกศรสองเส้นส่งต่อกันระหว่างวงกลมสองวง",
        "tags": ["ความรุนแรงในครอบครัว", "สุขภาพจิต", "การส่งต่อข้ามประเทศ"],
        "hours": 1,
        "audience": "อาสาสมัครที่เรียนหลักสูตรปฐมนิเทศแล้ว",
        "certificate": True,
        "required": False,
        "modules": followup_modules,
        "prerequisites": ["orientation"],
    },
    {
        "slug": "how-to-use-this-platform",
        "title": "วิธีใช้งานแพลตฟอร์มนี้",
        "summary": "หลักสูตรสั้น ๆ แนะนำการค้นหาหลักสูตร การเรียนบนโทรศัพท์ และปุ่มออกด่วน",
        "description": "<p>ไม่มีเงื่อนไขก่อนเรียน ใช้เวลาประมาณสิบนาที</p>",
        "cover": "platform",
        "cover_alt": "โทรศัพท์มือถือแสดงรายการบทเรียนพร้อมแถบความก้าวหน้า",
        "tags": ["การใช้งานแพลตฟอร์ม"],
        "hours": 0.5,
        "audience": "ทุกคน",
        "certificate": False,
        "required": False,
        "modules": platform_modules,
    },
]


def _seed_course(catalog: CourseIndexPage, spec: dict, images, documents, by_slug: dict) -> CoursePage:
    course = course_content_upsert(
        parent=catalog,
        page_class=CoursePage,
        slug=spec["slug"],
        fields={
            "title": spec["title"],
            "summary": spec["summary"],
            "description": spec["description"],
            "cover_image": images[spec["cover"]],
            "cover_alt": spec["cover_alt"],
            "estimated_hours": spec["hours"],
            "audience": spec["audience"],
            "issues_certificate": spec["certificate"],
            "required_for_registration": spec["required"],
        },
        tags=spec["tags"],
        prerequisites=[by_slug[slug] for slug in spec.get("prerequisites", [])],
    )
    for module_spec in spec["modules"](images, documents):
        module = course_content_upsert(
            parent=course,
            page_class=ModulePage,
            slug=module_spec["slug"],
            fields={"title": module_spec["title"], "summary": module_spec["summary"]},
        )
        for lesson_spec in module_spec["lessons"]:
            course_content_upsert(
                parent=module,
                page_class=LessonPage,
                slug=lesson_spec["slug"],
                fields={
                    "title": lesson_spec["title"],
                    "estimated_minutes": lesson_spec["minutes"],
                    "is_required": lesson_spec.get("required", True),
                    "is_sensitive": lesson_spec.get("sensitive", False),
                    "content_note": lesson_spec.get("note", ""),
                    "body": lesson_spec["body"],
                },
            )
    if spec.get("review"):
        course_review_require(course=course)
    return course


@transaction.atomic
def seed_courses() -> None:
    """Help lines, demo media and the three demo courses in the Thai catalog; idempotent."""
    for order, (country, organisation, phone, hours, languages) in enumerate(HELP_LINES):
        help_line_upsert(
            country=country,
            organisation=organisation,
            phone=phone,
            hours=hours,
            languages=languages,
            sort_order=order,
        )
    thai = Locale.objects.get(language_code="th")
    catalog = CourseIndexPage.objects.get(depth=3, locale=thai)
    if catalog.title != "หลักสูตร" or not catalog.intro:
        catalog.title = catalog.draft_title = "หลักสูตร"
        catalog.intro = "<p>เลือกหลักสูตรที่ต้องการ กรองตามหัวข้อ หรือค้นหาจากเนื้อหาในบทเรียน</p>"
        catalog.save_revision().publish()
    from courses.demo_en import CATALOG
    from courses.demo_translation import page_translate_demo

    catalog_translation_ensure(catalog=catalog, language_code="en", title=CATALOG["title"])
    # Translated with wagtail-localize like the courses: a copy would keep the Thai introduction.
    page_translate_demo(source=catalog, fields=CATALOG)
    images = ensure_images()
    documents = ensure_documents()
    ensure_pfa_embed()
    by_slug: dict[str, CoursePage] = {}
    for spec in COURSES:
        by_slug[spec["slug"]] = _seed_course(catalog, spec, images, documents, by_slug)
    from courses.demo_en import TRANSLATIONS

    for slug, content in TRANSLATIONS.items():
        _translate_course(by_slug[slug], content(images, documents))


def _translate_course(course: CoursePage, content: dict) -> None:
    """The English version of a demo course, made with wagtail-localize page by page."""
    from courses.demo_translation import page_translate_demo

    page_translate_demo(source=course, fields=content["course"], tags=content["tags"])
    for module in ModulePage.objects.child_of(course).order_by("path"):
        page_translate_demo(source=module, fields=content["modules"][module.slug])
        for lesson in LessonPage.objects.child_of(module).order_by("path"):
            fields = content["lessons"][lesson.slug]
            page_translate_demo(
                source=lesson,
                fields={
                    "title": fields["title"],
                    "content_note": fields.get("content_note", ""),
                    "body": fields["body"],
                },
            )
