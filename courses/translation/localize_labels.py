"""Thai where wagtail-localize 1.14 leaves English outside its catalogs.

- Its translation editor's script writes "More actions" and "<source> to <target> translation"
  itself; `static/js/localize-editor-labels.js` relabels them with the words given here.
- Its translations report counts them with the model's plural, never marked for translation.
- It dates a translated segment ("Translated manually on {date}") with `strftime("%d %B %Y")`, so
  English month names; `install()` makes it date as the rest of the admin does (training.dates:
  "3 ธันวาคม 2569" in Thai, Bangkok's day).
Both are worth offering upstream; until then they live here, and tests/journeys/test_admin_in_thai.py
fails if either comes back.
"""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.paginator import WagtailPaginator

from training.dates import format_date, issuer_zone


def editor_labels_script() -> str:
    return format_html(
        '<script src="{}" data-more-actions="{}" data-translation-heading="{}" defer></script>',
        static("js/localize-editor-labels.js"),
        _("More actions"),
        # Translators: the heading over a page's segments in the translation editor.
        _("{source} to {target} translation"),
    )


class TranslationsPaginator(WagtailPaginator):
    verbose_name = gettext_lazy("translation")
    verbose_name_plural = gettext_lazy("translations")


def install() -> None:
    from wagtail_localize.models import StringTranslation
    from wagtail_localize.views.report import TranslationsReportView

    # Its report counts "29 translations" with the model's plural, which it never marks for
    # translation (and a model's Meta is not ours to change: its migrations would follow).
    TranslationsReportView.paginator_class = TranslationsPaginator

    def get_comment(self):
        date = format_date(self.updated_at, zone=issuer_zone())
        if self.tool_name:
            return _("Translated with {tool_name} on {date}").format(tool_name=self.tool_name, date=date)
        if self.translation_type == self.TRANSLATION_TYPE_MANUAL:
            return _("Translated manually on {date}").format(date=date)
        if self.translation_type == self.TRANSLATION_TYPE_MACHINE:
            return _("Machine translated on {date}").format(date=date)
        return None

    get_comment.__doc__ = StringTranslation.get_comment.__doc__
    StringTranslation.get_comment = get_comment
