"""Recovery codes already issued are kept from now on as keyed digests (volunteers.recovery_codes),
not as the codes themselves: the codes people wrote down keep working, and the table no longer
holds them. A token that is already a digest (16 characters; a plain code has 8) is left alone, so
the migration can run again."""

from django.db import migrations

from volunteers.recovery_codes import DIGEST_LENGTH, recovery_code_digest

RECOVERY_DEVICE_NAME = "recovery codes"


def digest_plain_recovery_codes(apps, schema_editor=None):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    tokens = StaticToken.objects.filter(device__name=RECOVERY_DEVICE_NAME)
    for token in tokens.iterator():
        if len(token.token) != DIGEST_LENGTH:
            token.token = recovery_code_digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0006_account_sessions"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(digest_plain_recovery_codes, migrations.RunPython.noop)]
