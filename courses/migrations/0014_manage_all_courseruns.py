"""The right to keep the runs of every course (staff): trainers keep only the runs of the courses
they may edit."""

from django.db import migrations


def grant_manage_all_courseruns(apps, schema_editor=None):
    """Staff keep the runs of every course. Idempotent; also rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.filter(name="Staff").first()
    if group is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="courserun")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="manage_all_courseruns",
        defaults={"name": "Can keep the runs of every course"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0013_deadline_reminders"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="courserun",
            options={
                "ordering": ["course", "starts", "pk"],
                "permissions": [("manage_all_courseruns", "Can keep the runs of every course")],
                "verbose_name": "course run",
                "verbose_name_plural": "course runs",
            },
        ),
        migrations.RunPython(grant_manage_all_courseruns, migrations.RunPython.noop),
    ]
