from django.conf import settings
from django.db import migrations


def create_homepage(apps, schema_editor=None):
    """Replace Wagtail's placeholder welcome page with the HomePage and make it the default site.

    Idempotent, and also rebuilds the tree root, locale and site when a test flush removed them.
    """
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("training.HomePage")

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    home_type, _ = ContentType.objects.get_or_create(app_label="training", model="homepage")

    root = Page.objects.filter(depth=1).first()
    if root is None:
        root = Page.objects.create(
            title="Root",
            draft_title="Root",
            slug="root",
            content_type=page_type,
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            locale=locale,
        )
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        Page.objects.filter(depth=2, content_type=page_type, slug="home").delete()
        taken = set(Page.objects.filter(depth=2).values_list("path", flat=True))
        number = 1
        while f"0001{number:04d}" in taken:
            number += 1
        home = HomePage.objects.create(
            title="อาสาสมัคร พม. ในต่างประเทศ",
            draft_title="อาสาสมัคร พม. ในต่างประเทศ",
            slug="home",
            content_type=home_type,
            path=f"0001{number:04d}",
            depth=2,
            numchild=0,
            url_path="/home/",
            locale=locale,
            live=True,
        )
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).exclude(root_page_id=home.pk).delete()
    Site.objects.get_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page_id": home.pk,
            "site_name": "อพม. ในต่างประเทศ",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
