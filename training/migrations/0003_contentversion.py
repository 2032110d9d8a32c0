import uuid

from django.db import migrations, models


def first_version(apps, schema_editor):
    apps.get_model("training", "ContentVersion").objects.get_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_create_homepage"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
