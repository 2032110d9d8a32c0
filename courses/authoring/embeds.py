"""Embeds for the "External embed" block: an oEmbed provider's player where there is one, and a
plain link card for any other web address.

Wagtail's finders know the providers that speak oEmbed (YouTube, Vimeo, ...). Many addresses a
trainer wants to point at do not (a guide on who.int, a ministry's page): without a finder for them
the editor refuses the address, and a course package holding one cannot be imported on a new site.
`LinkFinder`, last in WAGTAILEMBEDS_FINDERS, accepts any http(s) address and answers with a link
(no HTML, so nothing of the other site runs in the lesson); the block's template then shows the
trainer's title as a link to it.
"""

from urllib.parse import urlsplit

from wagtail.embeds.finders.base import EmbedFinder


class LinkFinder(EmbedFinder):
    def __init__(self, **options):
        pass  # Wagtail hands each finder its WAGTAILEMBEDS_FINDERS options; this one takes none

    def accept(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)

    def find_embed(self, url: str, max_width=None, max_height=None) -> dict:
        return {
            "type": "link",
            "html": "",
            "title": "",
            "author_name": "",
            "provider_name": urlsplit(url).hostname,
            "thumbnail_url": "",
            "width": None,
            "height": None,
        }
