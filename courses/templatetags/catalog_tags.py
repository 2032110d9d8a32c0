"""`{% catalog_url as url %}`: the address of the course catalog in the reader's language, for the
site header, so every page (the home page, the pages after signing in) leads to the courses."""

from django import template
from wagtail.models import Locale

from courses.authoring.models import CourseIndexPage
from training.content_version import kept_for_reader

register = template.Library()


def _catalog_url(request) -> str:
    catalogs = CourseIndexPage.objects.live().public().order_by("path")
    active = Locale.get_active()
    catalog = catalogs.filter(locale=active).first() or catalogs.filter(locale=Locale.get_default()).first()
    return (catalog.get_url(request) or "") if catalog is not None else ""


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """Empty when the site has no live catalog; kept per content version and reader language."""
    request = context.get("request")
    if request is None:
        return ""
    return kept_for_reader(request, ("catalog url",), lambda: _catalog_url(request))
