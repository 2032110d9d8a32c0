from django.db import migrations

STAFF_PERMISSIONS = {
    "certificate": ["view", "add", "change"],
    "certificatetemplate": ["view", "add", "change"],
}


def grant_staff_permissions(apps, schema_editor=None):
    """Staff issue, revoke and re-issue certificates and keep the templates; trainers get none. Idempotent."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name="Staff")
    for model, actions in STAFF_PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="certificates", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_certificates_and_templates"),
        ("volunteers", "0002_create_role_groups"),
    ]

    operations = [migrations.RunPython(grant_staff_permissions, migrations.RunPython.noop)]
