"""What wagtail-localize keeps about the trainers who translate courses: who last translated each
string. The translated text is course content, not personal data, so it stays."""

from wagtail_localize.models import SegmentOverride, StringTranslation

from volunteers.privacy import PrivacyProvider, register_privacy_provider


def export_translations(user) -> dict:
    return {
        "strings_you_translated": StringTranslation.objects.filter(last_translated_by=user).count(),
        "segments_you_overrode": SegmentOverride.objects.filter(last_translated_by=user).count(),
    }


def erase_translations(user, identifiers: list[str]) -> None:
    StringTranslation.objects.filter(last_translated_by=user).update(last_translated_by=None)
    SegmentOverride.objects.filter(last_translated_by=user).update(last_translated_by=None)


def register_translation_privacy_provider() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="translations",
            models=(StringTranslation, SegmentOverride),
            export=export_translations,
            erase=erase_translations,
            order=280,
        )
    )
