"""What a course is made of, the same for every reader of a language.

Titles, addresses, kinds, and each item's list entry in each state change only with the content,
so they are built once per content version and kept in the process (`CourseStructure`,
training.content_version). `courses.learning.outlines` lays a reader's states over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Q
from django.template.loader import get_template
from wagtail.models import Page

from courses.authoring.models import CompletionRule, CoursePage, LessonPage, ModulePage
from courses.authoring.page_mixins import keep_reader_language, view_restriction_exists
from training.content_version import content_cache, reader_key

if TYPE_CHECKING:
    from django.http import HttpRequest

NOT_STARTED = "not_started"
DONE = "done"
PASSED = "passed"
FAILED = "failed"
# Item states that count as done for progress and completion.
DONE_STATES = {DONE, PASSED}
# The states each kind of item can be in; "" is how it is listed to a reader not enrolled.
ITEM_STATES = {"lesson": ("", NOT_STARTED, DONE), "quiz": ("", NOT_STARTED, PASSED, FAILED)}


# --- The structure of a course, the same for every reader ------------------------------------


@dataclass(frozen=True)
class OutlinePage:
    """A module, lesson or quiz as the outline shows and links it."""

    pk: int  # the page shown: the reader's translation when there is one
    source_pk: int  # the default-locale page that progress points at
    title: str
    url: str
    translated: bool  # False: not translated yet, so shown in the default language
    live: bool = True  # False only in a preview, which lists pages not published yet


@dataclass(frozen=True)
class ItemStructure:
    page: OutlinePage
    kind: str  # "lesson" or "quiz"
    required: bool
    counts: bool  # whether the course's completion rule counts it
    minutes: int | None
    entries: Mapping[str, str]  # the item's list entry (HTML) in each of its states


@dataclass(frozen=True)
class ModuleStructure:
    page: OutlinePage
    summary: str
    items: tuple[ItemStructure, ...]


@dataclass(frozen=True)
class CourseStructure:
    url: str
    modules: tuple[ModuleStructure, ...]

    # Kept with the structure (frozen: computed once, on first use).
    @cached_property
    def items(self) -> tuple[ItemStructure, ...]:
        """Every item, in course order."""
        return tuple(item for module in self.modules for item in module.items)

    @cached_property
    def item_ids(self) -> tuple[int, ...]:
        """The default-locale pages whose progress the outline shows."""
        return tuple(item.page.source_pk for item in self.items)

    @cached_property
    def counted_ids(self) -> tuple[int, ...]:
        """The default-locale pages of the items the course's completion rule counts."""
        return tuple(item.page.source_pk for item in self.items if item.counts)


PAGE_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "locale_id", "translation_key", "live")
COURSE_FIELDS = (*PAGE_FIELDS, "completion_rule")

# The page models that make up a module, each with how it enters the outline. Lessons are
# authoring's own; the rooms that add kinds of item register them from `CoursesConfig.ready()`
# (quizzes adds the quiz page), so authoring imports none of them.
OUTLINE_ITEM_MODELS: list[tuple[type[Page], str, tuple[str, ...]]] = [
    (LessonPage, "lesson", (*PAGE_FIELDS, "is_required", "estimated_minutes")),
]


def outline_item_register(model: type[Page], kind: str, fields: tuple[str, ...] = PAGE_FIELDS) -> None:
    """Make pages of `model` items of a module's outline, listed as `kind` (once per kind)."""
    if kind not in ITEM_STATES:
        raise ValueError(f"no item states for {kind!r}")
    if all(known != kind for _model, known, _fields in OUTLINE_ITEM_MODELS):
        OUTLINE_ITEM_MODELS.append((model, kind, fields))


def outline_item_model(kind: str) -> type[Page]:
    """The page model registered for items of `kind`."""
    return next(model for model, known, _fields in OUTLINE_ITEM_MODELS if known == kind)


def _under(paths: Iterable[str]) -> Q:
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def _counts(kind: str, page: Page, rule: str) -> bool:
    if kind == "quiz":
        return True
    return rule == CompletionRule.ALL_LESSONS_AND_QUIZZES or page.is_required


class _Builder:
    """Builds the structures of several courses in three queries, whatever their size.

    `pairs` are (default-locale course, course shown): the reader's translation replaces the
    source's modules and items where they are translated. Pages under a view restriction are left
    out, and so are pages not published yet unless `drafts` (a trainer's preview of what volunteers
    will see once they are). Addresses are the reader's: a page not translated yet keeps them in
    their language.
    """

    def __init__(self, request: HttpRequest | None, *, drafts: bool = False):
        self.request = request
        self.drafts = drafts
        self.entry_template = get_template("courses/outline_item.html")

    def build(self, pairs: list[tuple[CoursePage, CoursePage]]) -> dict[tuple[int, int], CourseStructure]:
        sources = {source.path: source for source, _shown in pairs}
        shown_paths = {shown.path: source.path for source, shown in pairs if shown.pk != source.pk}
        depth = pairs[0][0].depth
        # The pages of each source course in tree order, and their translations by source course
        # path and translation key.
        below: dict[str, list[Page]] = {path: [] for path in sources}
        translations: dict[tuple[str, str], Page] = {}
        for model, kind, fields in [(ModulePage, "module", (*PAGE_FIELDS, "summary")), *OUTLINE_ITEM_MODELS]:
            levels = 1 if kind == "module" else 2
            found = model.objects.filter(_under([*sources, *shown_paths]), depth=depth + levels)
            if not self.drafts:
                found = found.filter(live=True)
            found = found.annotate(restricted=view_restriction_exists()).only(*fields)
            for page in found:
                if page.restricted:
                    continue
                page.outline_kind = kind
                course_path = page.path[: -levels * Page.steplen]
                if course_path in sources:
                    below[course_path].append(page)
                else:
                    translations[(shown_paths[course_path], page.translation_key)] = page
        return {
            (source.pk, shown.pk): self._course(
                source, shown, sorted(below[source.path], key=lambda page: page.path), translations
            )
            for source, shown in pairs
        }

    def _course(
        self, source: CoursePage, shown: CoursePage, below: list[Page], translations: dict
    ) -> CourseStructure:
        modules: dict[str, tuple[OutlinePage, str, list[ItemStructure]]] = {}
        for page in below:
            translated = translations.get((source.path, page.translation_key))
            if translated is None and shown.pk != source.pk:
                outline_page = self._page(page, page, translated=False)
            else:
                outline_page = self._page(translated or page, page, translated=True)
            if page.outline_kind == "module":
                modules[page.path] = (outline_page, (translated or page).summary, [])
            elif page.path[: -Page.steplen] in modules:  # not below a restricted module
                modules[page.path[: -Page.steplen]][2].append(
                    self._item(page, outline_page, source.completion_rule)
                )
        return CourseStructure(
            url=self._url(shown),
            modules=tuple(
                ModuleStructure(page=outline_page, summary=summary, items=tuple(items))
                for outline_page, summary, items in modules.values()
            ),
        )

    def _item(self, page: Page, outline_page: OutlinePage, rule: str) -> ItemStructure:
        kind = page.outline_kind
        facts = {
            "page": outline_page,
            "kind": kind,
            "required": getattr(page, "is_required", True),
            "minutes": getattr(page, "estimated_minutes", None),
        }
        entries = {
            state: self.entry_template.render({**facts, "state": state}) for state in ITEM_STATES[kind]
        }
        return ItemStructure(**facts, counts=_counts(kind, page, rule), entries=entries)

    def _page(self, shown: Page, source: Page, *, translated: bool) -> OutlinePage:
        return OutlinePage(
            pk=shown.pk,
            source_pk=source.pk,
            title=shown.title,
            url=self._url(shown),
            translated=translated,
            live=shown.live,
        )

    def _url(self, page: Page) -> str:
        """The reader's address of `page`, whatever addresses the rest of the request makes: kept
        structures must not depend on the request that happened to build them."""
        request = self.request
        if request is None:
            return page.get_url(None) or ""
        links = getattr(request, "_untranslated_links", False)
        keep_reader_language(request)
        try:
            return page.get_url(request) or ""
        finally:
            request._untranslated_links = links


def course_structures(
    *,
    pairs: list[tuple[CoursePage, CoursePage]],
    version: str | None,
    request: HttpRequest | None,
    drafts: bool = False,
) -> dict[tuple[int, int], CourseStructure]:
    """The structures of these (default-locale course, course shown) pairs for the active language,
    from the process's content cache when built for `version` (none for a preview, which lists
    pages not published yet with `drafts` and must never reach what volunteers are served)."""

    def key(source: CoursePage, shown: CoursePage) -> tuple:
        return reader_key(request, "course structure", source.pk, shown.pk)

    found, missing = {}, []
    for source, shown in pairs:
        structure = content_cache.get(version, key(source, shown)) if source.pk and shown.pk else None
        if structure is None:
            missing.append((source, shown))
        else:
            found[(source.pk, shown.pk)] = structure
    if missing:
        built = _Builder(request, drafts=drafts).build(missing)
        for source, shown in missing:
            found[(source.pk, shown.pk)] = built[(source.pk, shown.pk)]
            if source.pk and shown.pk:
                content_cache.put(version, key(source, shown), built[(source.pk, shown.pk)])
    return found
