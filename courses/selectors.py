"""Read paths for courses: the catalog, a course outline, lesson order, and help lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from taggit.models import Tag
from wagtail.models import Locale

from courses.models import CourseIndexPage, CoursePage, HelpLine, LessonPage, ModulePage
from courses.search import query_terms

if TYPE_CHECKING:
    from django.http import HttpRequest

# Enough for any real catalog; keeps a search from ever building an unbounded id list.
SEARCH_LIMIT = 500


def _catalog_queryset(*, index_page: CourseIndexPage) -> QuerySet[CoursePage]:
    return CoursePage.objects.child_of(index_page).live().public()


def _matching_courses(*, index_page: CourseIndexPage, tag: str, query: str) -> list[CoursePage]:
    courses = _catalog_queryset(index_page=index_page)
    if tag:
        courses = courses.filter(tags__slug=tag)
    terms = query_terms(query)
    if terms:
        found = CoursePage.objects.live().search(terms, operator="and")[:SEARCH_LIMIT]
        course_ids = [page.pk for page in found]
        lessons = LessonPage.objects.live().public().descendant_of(index_page)
        lesson_paths = [page.path for page in lessons.search(terms, operator="and")[:SEARCH_LIMIT]]
        course_depth_len = len(index_page.path) + CoursePage.steplen
        course_paths = {path[:course_depth_len] for path in lesson_paths}
        courses = courses.filter(Q(pk__in=course_ids) | Q(path__in=course_paths))
    return list(
        courses.select_related("cover_image", "locale").prefetch_related("tags").order_by("path").distinct()
    )


def catalog_courses(*, index_page: CourseIndexPage, tag: str = "", query: str = "") -> list[CoursePage]:
    """Live, public courses in the catalog, optionally for one topic tag and matching a search.

    A search matches the course's own text and the text of its live, public lessons. A catalog in
    another language also lists the Thai courses not yet translated into it, flagged with
    `shown_in_language`, so a reader never misses a course because nobody translated it yet.
    """
    courses = _matching_courses(index_page=index_page, tag=tag, query=query)
    default_locale = Locale.get_default()
    if index_page.locale_id == default_locale.pk:
        return courses
    source_index = index_page.get_translation_or_none(default_locale)
    if source_index is None:
        return courses
    translated = set(CoursePage.objects.child_of(index_page).values_list("translation_key", flat=True))
    for course in _matching_courses(index_page=source_index.specific, tag=tag, query=query):
        if course.translation_key not in translated:
            course.shown_in_language = default_locale.language_code
            courses.append(course)
    return courses


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
    ids = [prerequisite.pk for prerequisite in course.prerequisites.all()]
    return CoursePage.objects.filter(pk__in=ids).live().public().order_by("path")


def module_lessons(*, module: ModulePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.child_of(module).live().public().order_by("path")


def course_outline(*, course: CoursePage) -> list[ModulePage]:
    """The live modules of a course in tree order, each with its live lessons as `.lessons`."""
    lessons = LessonPage.objects.live().public().order_by("path")
    modules = ModulePage.objects.child_of(course).live().public().order_by("path")
    outline = list(modules)
    by_path = {module.path: module for module in outline}
    for module in outline:
        module.lessons = []
    if outline:
        for lesson in lessons.descendant_of(course):
            parent = by_path.get(lesson.path[: -LessonPage.steplen])
            if parent is not None:
                parent.lessons.append(lesson)
    return outline


def lesson_neighbours(*, lesson: LessonPage) -> tuple[LessonPage | None, LessonPage | None]:
    """The lessons before and after this one in its course, across module boundaries."""
    course_path = lesson.path[: -2 * LessonPage.steplen]
    ordered = list(
        LessonPage.objects.live()
        .public()
        .filter(path__startswith=course_path, depth=lesson.depth)
        .order_by("path")
        .only("pk", "title", "url_path", "path", "depth", "locale_id")
    )
    positions = [page.pk for page in ordered]
    if lesson.pk not in positions:
        return None, None
    at = positions.index(lesson.pk)
    previous = ordered[at - 1] if at > 0 else None
    following = ordered[at + 1] if at + 1 < len(ordered) else None
    return previous, following


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


def course_for_page(page) -> CoursePage | None:
    """The course a module or lesson belongs to."""
    return CoursePage.objects.ancestor_of(page, inclusive=True).first()
