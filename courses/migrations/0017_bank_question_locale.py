"""Bank questions get a language: a locale and a translation key, as Wagtail's docs make an existing
model translatable (fields added nullable, filled, then made required and unique together). Every
question already in the bank was written in Thai, the default locale; each gets its own key."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def bootstrap_locale(apps, schema_editor):
    from wagtail.coreutils import get_supported_content_language_variant

    BankQuestion = apps.get_model("courses", "BankQuestion")
    Locale = apps.get_model("wagtailcore", "Locale")
    questions = BankQuestion.objects.filter(locale__isnull=True)
    if not questions.exists():
        return
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    for question in questions:
        question.locale = locale
        question.translation_key = uuid.uuid4()
        question.save(update_fields=["locale", "translation_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0016_question_bank"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="bankquestion",
            name="locale",
            field=models.ForeignKey(
                null=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="bankquestion",
            name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(bootstrap_locale, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bankquestion",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="bankquestion",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="bankquestion",
            unique_together={("translation_key", "locale")},
        ),
    ]
