from django.db import migrations


def grant_staff_task_permissions(apps, schema_editor=None):
    """Staff see the background tasks that failed every attempt and send them again. Idempotent."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name="Staff")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="django_tasks_database", model="dbtaskresult"
    )
    for action in ("view", "change"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_dbtaskresult",
            defaults={"name": f"Can {action} Task Result"},
        )
        staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_scheduled_runs"),
        ("volunteers", "0002_create_role_groups"),
        (
            "django_tasks_database",
            "0019_rename_django_task_new_ordering_idx_tasks_db_new_ordering_idx_and_more",
        ),
    ]

    operations = [migrations.RunPython(grant_staff_task_permissions, migrations.RunPython.noop)]
