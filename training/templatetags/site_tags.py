"""Template helpers used by the site shell."""

from django import template
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from training.content_version import kept_for_reader

register = template.Library()


def _page_in_language(request, page: Page, language_code: str) -> str:
    locale = Locale.objects.filter(language_code=language_code).first()
    translated = page.get_translation_or_none(locale) if locale else None
    # Not translated yet: the Thai page, read in that language with a notice, not a dead end.
    with translation.override(language_code):
        if translated is not None and translated.live:
            return translated.get_url(request)
        return page.get_url(request)


@register.simple_tag(takes_context=True)
def language_switch_url(context, language_code: str) -> str:
    """The same page in another language: a Wagtail page's translation, or the translated URL.
    A page's is kept per content version (a preview works it out afresh)."""
    request = context["request"]
    page = context.get("page")
    if not isinstance(page, Page):
        return translate_url(request.get_full_path(), language_code)
    if not page.pk:
        return _page_in_language(request, page, language_code)
    key = ("language switch", page.pk, language_code)
    return kept_for_reader(request, key, lambda: _page_in_language(request, page, language_code))
