from django.conf import settings
from django.db import migrations

AUTHORS = ["Trainers", "Lead trainers"]
# Country coordinators (volunteers 0010) keep staff's rights on every translation too.
CATALOG_GROUPS = ["Trainers", "Lead trainers", "Staff", "Country coordinators"]


def grant_translation_permissions(apps, schema_editor=None):
    """Trainers may start translations with wagtail-localize, and every group keeps on each
    translation of the catalog the page permissions it has on the Thai catalog. Idempotent, and
    also rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")

    content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    submit, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    for group in Group.objects.filter(name__in=AUTHORS):
        group.permissions.add(submit)

    for source in CourseIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE):
        grants = GroupPagePermission.objects.filter(page_id=source.pk, group__name__in=CATALOG_GROUPS)
        for translation in CourseIndexPage.objects.filter(translation_key=source.translation_key).exclude(
            pk=source.pk
        ):
            for grant in grants:
                GroupPagePermission.objects.get_or_create(
                    group_id=grant.group_id, page_id=translation.pk, permission_id=grant.permission_id
                )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_quizzes"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant_translation_permissions, migrations.RunPython.noop)]
