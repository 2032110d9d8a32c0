"""Template helpers used by the site shell."""

from django import template
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switch_url(context, language_code: str) -> str:
    """The same page in another language: a Wagtail page's translation, or the translated URL."""
    request = context["request"]
    page = context.get("page")
    if isinstance(page, Page):
        locale = Locale.objects.filter(language_code=language_code).first()
        translated = page.get_translation_or_none(locale) if locale else None
        # Not translated yet: the Thai page, read in that language with a notice, not a dead end.
        with translation.override(language_code):
            if translated is not None and translated.live:
                return translated.get_url(request)
            return page.get_url(request)
    return translate_url(request.get_full_path(), language_code)
