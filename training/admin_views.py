"""Admin display shared by our apps' viewsets: staff read words, never Python's True, False or None."""

from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.models import InspectView

# What an empty field shows: a dash, in every language.
EMPTY_VALUE = "—"


def readable(value):
    """A field's value as a person reads it: Yes/No for booleans, a dash for nothing."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY_VALUE
    return value


class ReadableInspectView(InspectView):
    """Wagtail's inspect view, with booleans and empty fields in words (it prints True, False, None)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, Component):
            return value
        return readable(value)
