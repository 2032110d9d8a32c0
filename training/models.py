"""Site-wide page types: the home page. Domain pages live in their own apps."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from training.routing import DirectRoutingMixin


class HomePage(DirectRoutingMixin, Page):
    """The site's front page: its name and an introduction that editors keep up to date."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
    )

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "volunteers.PrivacyNoticePage"]

    class Meta:
        verbose_name = _("home page")
