"""Demo site content for `seed_demo`: the site name, the home page text in Thai and English."""

from django.apps import apps
from django.db import transaction
from wagtail.models import Locale, Site

from training.models import HomePage

SITE_NAME = "อพม. ในต่างประเทศ"

HOME_TEXT = {
    "th": (
        "อาสาสมัคร พม. ในต่างประเทศ",
        "<p>ยินดีต้อนรับสู่ระบบฝึกอบรมออนไลน์สำหรับอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์ในต่างประเทศ "
        "(อพม. ในต่างประเทศ) ของกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์</p>"
        "<p>เรียนได้ทุกที่ทุกเวลาจากโทรศัพท์มือถือ ติดตามความก้าวหน้า ทำแบบทดสอบ "
        "และรับใบประกาศนียบัตรที่ตรวจสอบได้</p>",
    ),
    "en": (
        "Overseas social development volunteers",
        "<p>Welcome to the online training of the Ministry of Social Development and Human Security "
        "for overseas social development and human security volunteers.</p>"
        "<p>Learn anywhere from your phone, track your progress, take quizzes and receive a "
        "certificate that anyone can verify.</p>",
    ),
}


@transaction.atomic
def seed_site() -> HomePage:
    """Ensure the site, the Thai home page and its English translation; idempotent."""
    migration = __import__("training.migrations.0002_create_homepage", fromlist=["create_homepage"])
    migration.create_homepage(apps)
    home = HomePage.objects.get(depth=2, locale__language_code="th")
    site = Site.objects.get(is_default_site=True)
    if site.site_name != SITE_NAME:
        site.site_name = SITE_NAME
        site.save(update_fields=["site_name"])
    english, _ = Locale.objects.get_or_create(language_code="en")
    translation = home.get_translation_or_none(english)
    if translation is None:
        translation = home.copy_for_translation(english)
    for page, language in ((home, "th"), (translation.specific, "en")):
        title, intro = HOME_TEXT[language]
        if page.title != title or page.intro != intro or not page.live or page.has_unpublished_changes:
            page.title, page.draft_title, page.intro = title, title, intro
            page.save_revision().publish()
    return home
