"""What every learning page shares: reading a page not yet translated in the reader's language
(`TranslationFallbackMixin`), and view restrictions read once with routing (`LearningPageMixin`).

Used by the authoring pages (courses.authoring.models) and the quiz page; imports nothing of
learning, quizzes or reports.
"""

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site

from training.content_version import content_cache, kept_for_reader, request_version, version_known


def view_restriction_exists() -> Exists:
    """True when a view restriction sits on the outer page or any of its ancestors."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length(F("page__path"))),
            page__depth__lte=OuterRef("depth"),
        )
    )


# wagtail-localize translates text; everything else (numbers, flags, choices, images, answer keys
# inside quiz blocks) is copied from the Thai source on every sync. The slug stays the source's so
# a course keeps the same address in every language.


def _default_locale_id(request) -> int | None:
    cached = getattr(request, "_default_locale_id", None)
    if cached is None:
        cached = (
            Locale.objects.filter(language_code=settings.LANGUAGE_CODE).values_list("pk", flat=True).first()
        )
        if request is not None:
            request._default_locale_id = cached
    return cached


def keep_reader_language(request) -> None:
    """Links built for this request keep a reader of another language in it: a page not translated
    yet is linked at its address in the reader's language (reader-facing views, never the admin)."""
    request._untranslated_links = True


class TranslationFallbackMixin:
    """A page not yet translated is read at its translated parent's address in the reader's language
    (/en/courses/<slug>/...): routing falls back to the Thai child, which is shown in Thai with a
    notice, and links to Thai pages read in English keep the reader in English."""

    def route(self, request, path_components):
        # Links built while serving this page (not in the admin) keep a reader of another language
        # in that language on pages not translated yet.
        keep_reader_language(request)
        if translation.get_language() == settings.LANGUAGE_CODE:
            request._default_locale_id = self.locale_id  # default-language addresses route its pages
        try:
            return super().route(request, path_components)
        except Http404:
            child = self._untranslated_child(path_components[0]) if path_components else None
            if child is None:
                raise
            return child.route(request, path_components[1:])

    def _untranslated_child(self, slug: str):
        """The live default-locale child with this slug when it has no live translation into this
        page's locale; None when this page is itself in the default locale."""
        default_locale_id = _default_locale_id(None)
        if self.locale_id == default_locale_id:
            return None
        source = Page.objects.filter(
            translation_key=self.translation_key, locale_id=default_locale_id
        ).first()
        if source is None:
            return None
        child = source.get_children().live().filter(slug=slug).specific().first()
        if child is None or not isinstance(child, TranslationFallbackMixin):
            return None
        if Page.objects.filter(
            translation_key=child.translation_key, locale_id=self.locale_id, live=True
        ).exists():
            return None
        return child

    def _get_site_root_paths(self, request=None):
        """Wagtail keeps the sites' root paths on the request, read from the cache on the request's
        first page address (a query with the database cache); they change only with the content,
        so a request that has read its content version takes them from what the process keeps."""
        if (
            request is not None
            and version_known(request)
            and not hasattr(request, "_wagtail_cached_site_root_paths")
        ):
            request._wagtail_cached_site_root_paths = content_cache.get_or_build(
                request_version(request), ("site root paths",), Site.get_site_root_paths
            )
        return super()._get_site_root_paths(request)

    def get_url_parts(self, request=None):
        language = translation.get_language()
        if (
            request is None
            or not getattr(request, "_untranslated_links", False)
            or language == settings.LANGUAGE_CODE
            or self.locale_id != _default_locale_id(request)
        ):
            return super().get_url_parts(request)
        key = ("reader address", self.pk)
        return kept_for_reader(request, key, lambda: self._reader_url_parts(request, language))

    def _reader_url_parts(self, request, language: str):
        """A Thai page's address for a reader of `language`: the address of its nearest live
        translated ancestor (or its own translation) followed by the slugs below it. One query:
        the language trees mirror each other, so a translation sits at its source's depth."""
        prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        translated = (
            Page.objects.filter(
                translation_key__in=Page.objects.filter(path__in=prefixes).values("translation_key"),
                locale__language_code=language,
                live=True,
            )
            .order_by("-depth")
            .first()
        )
        parts = translated.get_url_parts(request) if translated is not None else None
        if parts is None or parts[2] is None:
            return super().get_url_parts(request)
        site_id, root_url, path = parts
        below = self.url_path.strip("/").split("/")[translated.depth - 1 :]
        return site_id, root_url, path + "".join(f"{slug}/" for slug in below)

    def untranslated_language(self, request) -> str:
        """The page's own language when the reader reads another one (the page is not translated)."""
        language = translation.get_language()
        if language == settings.LANGUAGE_CODE or getattr(request, "is_preview", False):
            return ""  # default-language addresses only reach default-locale pages; previews show the page
        page_language = Locale.objects.get(pk=self.locale_id).language_code
        return page_language if page_language != language else ""


class LearningPageMixin(TranslationFallbackMixin):
    """Course, module and lesson pages: view restrictions read once, and a 404 for signed-in readers
    a restriction keeps out (they see no login form for a page they may never read)."""

    route_select_related: tuple[str, ...] = ()

    @classmethod
    def route_queryset(cls):
        """What routing loads with the page: whether a view restriction applies, whether it is in
        the default locale (`default_locale_page` then asks nothing), related rows."""
        queryset = cls.objects.annotate(
            route_restricted=view_restriction_exists(),
            _in_default_locale=ExpressionWrapper(
                Q(locale__language_code=settings.LANGUAGE_CODE), output_field=BooleanField()
            ),
        )
        # Without fields, select_related() would join every non-null foreign key (deprecated in Django 6.1).
        return queryset.select_related(*cls.route_select_related) if cls.route_select_related else queryset

    def get_view_restrictions(self):
        cached = getattr(self, "_view_restrictions", None)
        if cached is not None:
            return cached
        if getattr(self, "route_restricted", None) is False:
            restrictions = PageViewRestriction.objects.none()
            # Known empty: iterating an empty queryset still compiles its SQL to find it needs none
            # (every page view iterates it, twice); methods that make a new queryset are unchanged.
            restrictions._result_cache = []
        else:
            prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
            restrictions = PageViewRestriction.objects.filter(page__path__in=prefixes)
            list(restrictions)  # evaluate once; later iterations reuse the result
        self._view_restrictions = restrictions
        return restrictions

    def route(self, request, path_components):
        user = getattr(request, "user", None)
        if not path_components and user is not None and user.is_authenticated:
            for restriction in self.get_view_restrictions():
                if not restriction.accept_request(request):
                    raise Http404
        return super().route(request, path_components)
