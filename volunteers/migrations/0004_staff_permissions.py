from django.db import migrations

STAFF_PERMISSIONS = {
    "volunteerprofile": ["view", "add", "change", "erase"],
    "organization": ["view", "add", "change", "delete"],
}


def grant_staff_permissions(apps, schema_editor=None):
    """Staff keep the volunteer and organisation records; trainers get none of it. Idempotent."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name="Staff")
    for model, actions in STAFF_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="volunteers", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0003_profiles_organisations_privacy_notice"),
        ("volunteers", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant_staff_permissions, migrations.RunPython.noop)]
