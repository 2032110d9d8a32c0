from django.db import migrations


def grant_staff_mail_permissions(apps, schema_editor=None):
    """Staff see the mail that could not be delivered, send it again, and allow bounced addresses
    again. Idempotent."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name="Staff")
    for model, actions in (("outboxmessage", ("view", "change")), ("suppressedaddress", ("view", "delete"))):
        content_type, _ = ContentType.objects.get_or_create(app_label="notifications", model=model)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            staff.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_outbox"), ("volunteers", "0002_create_role_groups")]

    operations = [migrations.RunPython(grant_staff_mail_permissions, migrations.RunPython.noop)]
