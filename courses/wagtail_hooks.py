"""Admin wiring for courses: help lines as snippets that staff keep."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import HelpLine


class HelpLineViewSet(SnippetViewSet):
    model = HelpLine
    icon = "help"
    menu_label = _("Help lines")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["organisation", "country", "phone", "hours", "languages"]
    list_filter = ["country"]
    search_fields = ["organisation", "phone", "languages"]
    ordering = ["country", "sort_order", "organisation"]


register_snippet(HelpLineViewSet)
