"""Template helpers used by the site shell."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page

from training.content_version import kept_for_reader, version_known

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


@register.tag("kept")
def do_kept(parser, token):
    """`{% kept part … %}…{% endkept %}`: the enclosed HTML, rendered once per process for each
    content version, language and site (`kept_for_reader`), and for each value of the parts given.

    For HTML made from the content alone, costly to render on every view: a `{% picture %}` reads
    the renditions cache (a query with the database cache) and builds six keys to find its files.
    The parts must name everything else the HTML depends on (the image, its alt text); never put
    anything of the reader's inside (their name, progress, a CSRF token). A preview, a template
    rendered without a request, and a request that has not read the content version (a public page
    that needs no content, such as the verify page) render it afresh: a query to read the version
    would cost more than the rendering it saves.
    """
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parts, token.lineno)


class KeptNode(template.Node):
    def __init__(self, nodelist, parts, lineno: int):
        self.nodelist = nodelist
        self.parts = parts
        self.lineno = lineno

    def render(self, context):
        request = context.get("request")
        if request is None or not version_known(request):
            return self.nodelist.render(context)
        key = ("kept", self.origin.name, self.lineno, *(part.resolve(context) for part in self.parts))
        # The nodelist's output is the template's, escaped as it renders: kept as it is.
        return kept_for_reader(request, key, lambda: mark_safe(self.nodelist.render(context)))  # noqa: S308
