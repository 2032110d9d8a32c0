from django.db import migrations, models


def keep_existing_indexes(apps, schema_editor):
    """Certificates issued so far published their primary key as their index: it stays theirs."""
    Certificate = apps.get_model("certificates", "Certificate")
    Certificate.objects.update(status_list_index=models.F("id"))


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_pdf_in_private_storage")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="status list index"),
        ),
        migrations.RunPython(keep_existing_indexes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="status_list_index",
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name="status list index"),
        ),
    ]
