"""Actions the offline app sent from a phone, each kept once by the id the phone gave it (issue 24)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0017_bank_question_locale"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SyncedAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("client_id", models.UUIDField(verbose_name="id on the phone")),
                ("kind", models.CharField(max_length=40, verbose_name="kind of action")),
                (
                    "outcome",
                    models.CharField(
                        choices=[("done", "Done"), ("refused", "Refused")],
                        max_length=10,
                        verbose_name="outcome on the server",
                    ),
                ),
                ("message", models.TextField(blank=True, verbose_name="why it was refused")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="received from the phone"
                    ),
                ),
                (
                    "volunteer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="synced_actions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="volunteer",
                    ),
                ),
            ],
            options={
                "verbose_name": "action sent from a phone",
                "verbose_name_plural": "actions sent from phones",
                "indexes": [models.Index(fields=["created_at"], name="synced_action_created")],
                "constraints": [
                    models.UniqueConstraint(fields=("volunteer", "client_id"), name="unique_synced_action")
                ],
            },
        ),
    ]
