from django.db import migrations

STAFF_LEARNING_PERMISSIONS = {
    "enrollment": ["view", "add"],
    "lessonprogress": ["view"],
    "coursecompletion": ["view"],
}


def grant_staff_learning_permissions(apps, schema_editor=None):
    """Staff enrol volunteers and see their progress; trainers do neither. Idempotent."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name="Staff")
    for model, actions in STAFF_LEARNING_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="courses", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_enrolment_progress_completion"),
        ("volunteers", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant_staff_learning_permissions, migrations.RunPython.noop)]
