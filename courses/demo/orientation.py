"""Demo courses for `seed_demo`: an orientation course for new overseas volunteers (Thai, five
modules, every lesson block type; its certificate valid three years), a short follow-up course that
needs it first, a short course on using the platform, and the orientation's refresher course,
whose completion renews the orientation certificate. Images are drawn with Pillow when the seeder runs; the short demo video and
its captions are small files in `courses/demo/media/`."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale

from courses.authoring.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.authoring.services import course_content_upsert, course_review_require, help_line_upsert
from courses.demo.assets import HELP_LINES, ensure_documents, ensure_images, ensure_pfa_embed
from courses.demo.content import followup_modules, orientation_modules, platform_modules, refresher_modules
from courses.translation.services import catalog_translation_ensure

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
        # Its certificate is valid for three years; the refresher course below renews it.
        "valid_months": 36,
        "refresher": "orientation-refresher",
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
    {
        "slug": "orientation-refresher",
        "title": "ทบทวนความรู้อาสาสมัคร พม. ในต่างประเทศ (หลักสูตรทบทวน)",
        "summary": "หลักสูตรทบทวนสั้น ๆ สำหรับผู้ที่ใบประกาศนียบัตรหลักสูตรปฐมนิเทศใกล้หมดอายุ เรียนจบแล้วได้รับใบประกาศนียบัตรฉบับต่ออายุ",
        "description": "<p>ใบประกาศนียบัตรหลักสูตรปฐมนิเทศมีอายุสามปี เรียนหลักสูตรนี้จบเพื่อต่ออายุ "
        "ระบบจะออกใบประกาศนียบัตรหลักสูตรปฐมนิเทศฉบับใหม่แทนฉบับเดิม</p>",
        "cover": "network",
        "cover_alt": "วงกลมหลายวงแทนคนไทยในหลายเมือง เชื่อมกันด้วยเส้นเป็นเครือข่าย",
        "tags": ["บทบาทอาสาสมัคร", "การส่งต่อข้ามประเทศ"],
        "hours": 0.5,
        "audience": "อาสาสมัครที่ใบประกาศนียบัตรหลักสูตรปฐมนิเทศใกล้หมดอายุหรือหมดอายุแล้ว",
        "certificate": True,
        "required": False,
        "modules": refresher_modules,
        # Taught in runs with live sessions (courses.demo.runs, courses.demo.live); asks for one
        # session attended and the evaluation; its certificates are valid for three years too.
        "valid_months": 36,
        "evaluation": True,
        "sessions_required": 1,
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
                    "summary": lesson_spec.get("summary", ""),
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
    from courses.demo.english import CATALOG
    from courses.demo.translation import page_translate_demo

    catalog_translation_ensure(catalog=catalog, language_code="en", title=CATALOG["title"])
    # Translated with wagtail-localize like the courses: a copy would keep the Thai introduction.
    page_translate_demo(source=catalog, fields=CATALOG)
    images = ensure_images()
    documents = ensure_documents()
    ensure_pfa_embed()
    by_slug: dict[str, CoursePage] = {}
    for spec in COURSES:
        by_slug[spec["slug"]] = _seed_course(catalog, spec, images, documents, by_slug)
    for spec in COURSES:
        if spec.get("valid_months"):  # once the refresher course exists
            refresher = {"refresher_course": by_slug[spec["refresher"]]} if spec.get("refresher") else {}
            course_content_upsert(
                parent=catalog,
                page_class=CoursePage,
                slug=spec["slug"],
                fields={
                    "certificate_valid_months": spec["valid_months"],
                    "evaluation_required": spec.get("evaluation", False),
                    "live_sessions_required": spec.get("sessions_required", 0),
                    **refresher,
                },
            )
    from courses.demo.english import TRANSLATIONS

    for slug, content in TRANSLATIONS.items():
        _translate_course(by_slug[slug], content(images, documents))


def _translate_course(course: CoursePage, content: dict) -> None:
    """The English version of a demo course, made with wagtail-localize page by page."""
    from courses.demo.translation import page_translate_demo

    page_translate_demo(source=course, fields=content["course"], tags=content["tags"])
    for module in ModulePage.objects.child_of(course).order_by("path"):
        page_translate_demo(source=module, fields=content["modules"][module.slug])
        for lesson in LessonPage.objects.child_of(module).order_by("path"):
            fields = content["lessons"][lesson.slug]
            page_translate_demo(
                source=lesson,
                fields={
                    "title": fields["title"],
                    "summary": fields.get("summary", ""),
                    "content_note": fields.get("content_note", ""),
                    "body": fields["body"],
                },
            )
