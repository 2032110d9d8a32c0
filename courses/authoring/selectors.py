"""Read paths for authored content: the catalog and its search, a course's details and
prerequisites, help lines, and the page helpers the other rooms share. A volunteer's outline of a
course is in `courses.learning.outlines`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page as ResultsPage
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Greatest, Length, Substr
from django.utils.text import Truncator
from taggit.models import Tag
from wagtail.models import Locale, Page
from wagtail.rich_text import get_text_for_indexing

from courses.authoring.models import CourseIndexPage, CoursePage, HelpLine, LessonPage
from courses.authoring.page_mixins import view_restriction_exists
from courses.authoring.search import query_terms
from courses.authoring.structure import COURSE_FIELDS, course_structures, outline_item_model
from training.content_version import kept_for_reader, request_version
from training.precompiled import STAND_IN_TEXT, STAND_IN_UUID, Precompiled, PrecompiledPerModel

if TYPE_CHECKING:
    from django.http import HttpRequest

# Enough for any real catalog; keeps a search from ever building an unbounded id list.
SEARCH_LIMIT = 500


def _catalog_queryset(*, index_page: CourseIndexPage) -> QuerySet[CoursePage]:
    return CoursePage.objects.child_of(index_page).live().public()


class ItemMatches:
    """The live, public lessons and quizzes of a catalog that match a search, searched once per
    catalog (as plain pages, in tree order), whoever asks: the course list and the result list."""

    def __init__(self, query: str):
        self.query = query
        self.terms = query_terms(query)
        self._found: dict[int, list[Page]] = {}

    def __bool__(self) -> bool:
        return bool(self.terms)

    def below(self, index_page: CourseIndexPage) -> list[Page]:
        if not self.terms:
            return []
        if index_page.pk not in self._found:
            # Lessons and quizzes are the pages two levels below a course (course > module > item).
            items = Page.objects.live().public().descendant_of(index_page).filter(depth=index_page.depth + 3)
            found = items.search(self.terms, operator="and", order_by_relevance=False)[:SEARCH_LIMIT]
            self._found[index_page.pk] = list(found)
        return self._found[index_page.pk]


def _matching_courses(*, index_page: CourseIndexPage, tag: str, matches: ItemMatches) -> list[CoursePage]:
    courses = _catalog_queryset(index_page=index_page)
    if tag:
        courses = courses.filter(tags__slug=tag)
    if matches:
        found = CoursePage.objects.live().search(matches.terms, operator="and")[:SEARCH_LIMIT]
        course_ids = [page.pk for page in found]
        course_depth_len = len(index_page.path) + CoursePage.steplen
        course_paths = {page.path[:course_depth_len] for page in matches.below(index_page)}
        courses = courses.filter(Q(pk__in=course_ids) | Q(path__in=course_paths))
    return list(
        courses.select_related("cover_image", "locale").prefetch_related("tags").order_by("path").distinct()
    )


def catalog_courses(
    *, index_page: CourseIndexPage, tag: str = "", query: str = "", matches: ItemMatches | None = None
) -> list[CoursePage]:
    """Live, public courses in the catalog, optionally for one topic tag and matching a search.

    A search matches the course's own text and the text of its live, public lessons and quizzes. A
    catalog in another language also lists the Thai courses not yet translated into it, flagged with
    `shown_in_language`, so a reader never misses a course because nobody translated it yet.
    """
    matches = matches if matches is not None else ItemMatches(query)
    courses = _matching_courses(index_page=index_page, tag=tag, matches=matches)
    default_locale = Locale.get_default()
    if index_page.locale_id == default_locale.pk:
        return courses
    source_index = index_page.get_translation_or_none(default_locale)
    if source_index is None:
        return courses
    translated = set(CoursePage.objects.child_of(index_page).values_list("translation_key", flat=True))
    for course in _matching_courses(index_page=source_index.specific, tag=tag, matches=matches):
        if course.translation_key not in translated:
            course.shown_in_language = default_locale.language_code
            courses.append(course)
    return courses


# --- Catalog search: the lessons and quizzes that match ----------------------------------------

SEARCH_PAGE_SIZE = 20
QUIZ_INTRO_CHARS = 200


@dataclass(frozen=True)
class SearchHit:
    """A lesson or quiz that matches a catalog search, as the results list it: its course and
    module, its address, and the language each is shown in when not translated into the reader's.

    A quiz shows its title and introduction only, never its questions: a question's text, answers
    and feedback are not even in the search index (`QuizPage.search_fields`)."""

    pk: int
    kind: str  # "lesson" or "quiz"
    title: str
    url: str
    course_title: str
    module_title: str
    language: str = ""
    course_language: str = ""
    module_language: str = ""
    summary: str = ""
    sensitive: bool = False


def _catalog_pairs(
    *, index_page: CourseIndexPage, tag: str
) -> tuple[list[tuple[CoursePage, CoursePage]], Page | None]:
    """The courses the catalog lists, as (default-locale course, course shown) pairs in catalog
    order, and the default-locale catalog when this one is in another language: its courses not yet
    translated are listed too, as `catalog_courses` lists them."""

    def listed(index: Page) -> list[CoursePage]:
        courses = _catalog_queryset(index_page=index)
        if tag:
            courses = courses.filter(tags__slug=tag)
        return list(courses.only(*COURSE_FIELDS).order_by("path").distinct())

    shown = listed(index_page)
    default_locale = Locale.get_default()
    source_index = (
        index_page.get_translation_or_none(default_locale)
        if index_page.locale_id != default_locale.pk
        else None
    )
    if source_index is None:
        return [(course, course) for course in shown], None
    sources = {
        course.translation_key: course
        for course in CoursePage.objects.child_of(source_index)
        .filter(translation_key__in=[course.translation_key for course in shown])
        .only(*COURSE_FIELDS)
    }
    translated = set(CoursePage.objects.child_of(index_page).values_list("translation_key", flat=True))
    pairs = [(sources.get(course.translation_key, course), course) for course in shown]
    pairs += [(course, course) for course in listed(source_index) if course.translation_key not in translated]
    return pairs, source_index


def _search_hits(
    *, index_page: CourseIndexPage, tag: str, matches: ItemMatches, request: HttpRequest | None
) -> list[SearchHit]:
    """Every lesson and quiz matching the search in the courses the catalog lists (up to
    `SEARCH_LIMIT` per language), those whose title holds the words first, then in catalog order.

    Titles, modules and addresses come from the courses' outline structures, kept per content
    version, so a result shows and links what the course page does: live pages outside view
    restrictions, in the reader's language or in Thai when not translated yet."""
    pairs, source_index = _catalog_pairs(index_page=index_page, tag=tag)
    course_pairs = {}
    for source, shown in pairs:
        course_pairs[source.path] = course_pairs[shown.path] = (source, shown)
    found = matches.below(index_page) + (matches.below(source_index) if source_index is not None else [])
    course_depth_len = len(index_page.path) + CoursePage.steplen
    hit_pairs = [
        course_pairs[page.path[:course_depth_len]]
        for page in found
        if page.path[:course_depth_len] in course_pairs
    ]
    if not hit_pairs:
        return []
    needed = list(dict.fromkeys(hit_pairs))
    structures = course_structures(pairs=needed, version=request_version(request), request=request)
    default_language = settings.LANGUAGE_CODE
    places = {}
    for course_order, (source, shown) in enumerate(pairs):
        structure = structures.get((source.pk, shown.pk))
        if structure is None:
            continue
        # A course shown in Thai in another language's catalog is Thai throughout.
        course_language = default_language if shown.locale_id != index_page.locale_id else ""
        for module in structure.modules:
            for item in module.items:
                places[item.page.pk] = (
                    course_order,
                    len(places),
                    SearchHit(
                        pk=item.page.pk,
                        kind=item.kind,
                        title=item.page.title,
                        url=item.page.url,
                        course_title=shown.title,
                        module_title=module.page.title,
                        language=course_language or ("" if item.page.translated else default_language),
                        course_language=course_language,
                        module_language=course_language
                        or ("" if module.page.translated else default_language),
                    ),
                )
    words = matches.query.casefold().split()

    def rank(place: tuple) -> tuple:
        course_order, item_order, hit = place
        return (not all(word in hit.title.casefold() for word in words), course_order, item_order)

    return [place[2] for place in sorted((places[page.pk] for page in found if page.pk in places), key=rank)]


def _with_details(hits: list[SearchHit]) -> list[SearchHit]:
    """The hits with a lesson's summary and whether it is sensitive, and a quiz's introduction."""
    lesson_ids = [hit.pk for hit in hits if hit.kind == "lesson"]
    quiz_ids = [hit.pk for hit in hits if hit.kind == "quiz"]
    lessons = (
        {
            pk: (summary, sensitive)
            for pk, summary, sensitive in LessonPage.objects.filter(pk__in=lesson_ids).values_list(
                "pk", "summary", "is_sensitive"
            )
        }
        if lesson_ids
        else {}
    )
    quizzes = outline_item_model("quiz").objects
    intros = dict(quizzes.filter(pk__in=quiz_ids).values_list("pk", "intro")) if quiz_ids else {}
    detailed = []
    for hit in hits:
        if hit.kind == "lesson":
            summary, sensitive = lessons.get(hit.pk, ("", False))
            detailed.append(replace(hit, summary=summary, sensitive=sensitive))
        else:
            intro = get_text_for_indexing(intros.get(hit.pk, ""))
            detailed.append(replace(hit, summary=Truncator(intro).chars(QUIZ_INTRO_CHARS)))
    return detailed


def catalog_search_results(
    *,
    index_page: CourseIndexPage,
    matches: ItemMatches,
    request: HttpRequest | None,
    tag: str = "",
    page_number: str | None = None,
) -> ResultsPage | None:
    """One page of the lessons and quizzes matching a catalog search (`SearchHit`s), or None when
    there is no search. Costs the same queries for 5 results or 500."""
    if not matches:
        return None
    hits = _search_hits(index_page=index_page, tag=tag, matches=matches, request=request)
    results = Paginator(hits, SEARCH_PAGE_SIZE).get_page(page_number)
    results.object_list = _with_details(list(results.object_list))
    return results


def catalog_tags(*, index_page: CourseIndexPage) -> QuerySet[Tag]:
    """The topic tags used by live, public courses in this catalog, for the tag filter."""
    course_ids = _catalog_queryset(index_page=index_page).values("pk")
    return (
        Tag.objects.filter(courses_coursepagetag_items__content_object_id__in=course_ids)
        .distinct()
        .order_by("name")
    )


def prerequisite_courses(*, course: CoursePage) -> QuerySet[CoursePage]:
    """The live, public courses to complete first. Reads the relation through `.all()`, which also
    holds the unsaved choices while a trainer previews the course."""
    related = course.prerequisites.all()
    ids = (
        related.values("pk")
        if isinstance(related, QuerySet)
        else [prerequisite.pk for prerequisite in related]
    )
    return (
        CoursePage.objects.filter(pk__in=ids, live=True)
        .annotate(restricted=view_restriction_exists())
        .filter(restricted=False)
        .order_by("path")
    )


@dataclass(frozen=True)
class CourseLink:
    title: str
    url: str
    translation_key: str = ""  # the same in every language, as completions are kept on the Thai page


@dataclass(frozen=True)
class CourseDetails:
    """What the course page shows besides the outline that costs queries: its topics and the
    courses to complete first (in the reader's language and addresses)."""

    tags: tuple[Tag, ...]
    prerequisites: tuple[CourseLink, ...]


def course_details(*, course: CoursePage, request: HttpRequest) -> CourseDetails:
    """The course page's topics and prerequisites, kept per content version. A preview reads the
    page being edited instead."""

    def build() -> CourseDetails:
        return CourseDetails(
            tags=tuple(course.tags.all()),
            prerequisites=tuple(
                CourseLink(
                    title=prerequisite.title,
                    url=prerequisite.get_url(request) or "",
                    translation_key=str(prerequisite.translation_key),
                )
                for prerequisite in prerequisite_courses(course=course)
            ),
        )

    if not course.pk:
        return build()
    return kept_for_reader(request, ("course details", course.pk), build)


def help_lines_for(*, country: str = "") -> list[HelpLine]:
    """Help lines for a country of residence, or every help line when the country is unknown.

    A country with no help lines of its own also gets every line, so the reader never sees none.
    """
    lines = HelpLine.objects.order_by("country", "sort_order", "organisation")
    if country:
        local = list(lines.filter(country=country.upper()))
        if local:
            return local
    return list(lines)


def reader_country(request: HttpRequest | None) -> str:
    """The signed-in reader's country of residence when their volunteer profile records it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    profile = getattr(user, "volunteer_profile", None)
    return str(getattr(profile, "country", "") or "").upper()[:2]


_DEFAULT_LOCALE_VERSION = PrecompiledPerModel(
    lambda model, key, language: model.objects.filter(
        translation_key=key, locale__language_code=language
    ).order_by("pk")[:1],
    STAND_IN_UUID,
    STAND_IN_TEXT,
)
_LOCALE_ID = Precompiled(
    lambda language: Locale.objects.filter(language_code=language).values_list("pk"), STAND_IN_TEXT
)


def default_locale_page(page: Page) -> Page:
    """The default-locale (Thai) version of a page, which enrolment and progress point at: the page
    itself when it is in the default locale.

    Read on every quiz and progress request, several times, so its queries are compiled once: the
    default locale's id (one column of one row), and only for a translation, the source page. A
    page found in the default locale is marked so (a page's locale never changes): the request's
    later reads of the same page, or of a copy of it, ask nothing. Routing marks the pages it
    finds either way (`LearningPageMixin.route_queryset`), so a routed page needs no locale read."""
    in_default_locale = page.__dict__.get("_in_default_locale")
    if in_default_locale:
        return page
    if in_default_locale is None:
        default = _LOCALE_ID.rows(settings.LANGUAGE_CODE)
        if default and page.locale_id == default[0][0]:
            page._in_default_locale = True
            return page
    model = page.specific_class or type(page)
    key = uuid.UUID(str(page.translation_key))
    return _DEFAULT_LOCALE_VERSION[model].first(key, settings.LANGUAGE_CODE) or page


def courses_editable_by(*, user: Any) -> QuerySet[CoursePage]:
    """The default-locale courses whose pages `user` may edit (in any language), by Wagtail's page
    permissions: what a trainer's view of quiz results is limited to."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    editable = PagePermissionPolicy(CoursePage).instances_user_has_permission_for(user, "change")
    return CoursePage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE,
        translation_key__in=editable.values("translation_key"),
    )


def quiz_course_path(field: str = "quiz__path") -> Substr:
    """The path of the course of the quiz whose path is `field`: a quiz sits in a module of its
    course, so the course's path is the quiz's less two steps."""
    # Never a negative length: PostgreSQL may evaluate this on other pages' shorter paths too.
    return Substr(field, 1, Greatest(Length(field) - 2 * Page.steplen, Value(0)))
