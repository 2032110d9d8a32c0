"""Read paths for courses: the catalog, routing below it, a volunteer's course outline with
progress, the learning dashboard, lesson order, and help lines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import BooleanField, DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Greatest, Length, Substr
from taggit.models import Tag
from wagtail.models import Locale, Page

from courses.models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    HelpLine,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizPage,
    QuizResult,
    view_restriction_exists,
)
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


# --- A volunteer's outline of a course --------------------------------------------------------

NOT_STARTED = "not_started"
DONE = "done"
PASSED = "passed"
FAILED = "failed"
# Item states that count as done for progress and completion.
DONE_STATES = {DONE, PASSED}


@dataclass
class OutlineItem:
    """One step of a course (a lesson or a quiz) as a volunteer sees it.

    `page` is the page to show and link (the reader's language when translated); `source` is the
    default-locale page that progress points at.
    """

    page: Page
    source: Page
    kind: str
    required: bool
    counts: bool
    state: str = NOT_STARTED
    translated: bool = True

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES


@dataclass
class OutlineModule:
    page: ModulePage
    source: ModulePage
    items: list[OutlineItem] = field(default_factory=list)
    translated: bool = True

    @property
    def counted(self) -> list[OutlineItem]:
        return [item for item in self.items if item.counts]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.counted if item.done)

    @property
    def percent(self) -> int:
        return _percent(self.done_count, len(self.counted))


def _percent(done: int, total: int) -> int:
    if total == 0:
        return 0
    return done * 100 // total


@dataclass
class CourseOutline:
    """A course with its modules and items, the reader's enrolment, progress and completion."""

    course: CoursePage
    source_course: CoursePage
    modules: list[OutlineModule] = field(default_factory=list)
    enrolled_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None

    @property
    def items(self) -> list[OutlineItem]:
        return [item for module in self.modules for item in module.items]

    @property
    def counted(self) -> list[OutlineItem]:
        return [item for item in self.items if item.counts]

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.counted if item.done)

    @property
    def total_count(self) -> int:
        return len(self.counted)

    @property
    def percent(self) -> int:
        if self.completed_at is not None and self.done_count == self.total_count:
            return 100
        return _percent(self.done_count, self.total_count)

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_at is not None

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def requirements_met(self) -> bool:
        """Every item the completion rule counts is done (and there is at least one)."""
        counted = self.counted
        return bool(counted) and all(item.done for item in counted)

    @property
    def next_item(self) -> OutlineItem | None:
        """Where "Start" or "Continue" leads: the first item not done, in course order."""
        for item in self.items:
            if not item.done:
                return item
        return None

    @property
    def first_item(self) -> OutlineItem | None:
        items = self.items
        return items[0] if items else None

    @property
    def action(self) -> str:
        """The primary button: "enrol", "start", "continue" or "completed"."""
        if not self.is_enrolled:
            return "enrol"
        if self.is_completed:
            return "completed"
        if not any(item.done for item in self.items):
            return "start"
        return "continue"

    @property
    def action_item(self) -> OutlineItem | None:
        if self.action == "start":
            return self.next_item or self.first_item
        if self.action == "continue":
            return self.next_item
        return None


def _lesson_counts(lesson: LessonPage, rule: str) -> bool:
    from courses.models import CompletionRule

    return rule == CompletionRule.ALL_LESSONS_AND_QUIZZES or lesson.is_required


PAGE_FIELDS = ("id", "title", "slug", "url_path", "path", "depth", "locale_id", "translation_key", "live")

# The page models that make up a module, each with how it enters the outline and how its state
# is read. A quiz's state is passed or failed from the volunteer's result (the grade that counts).
OUTLINE_ITEM_MODELS: list[tuple[type[Page], str, tuple[str, ...]]] = [
    (LessonPage, "lesson", (*PAGE_FIELDS, "is_required", "estimated_minutes")),
    (QuizPage, "quiz", PAGE_FIELDS),
]


def _done_annotation(kind: str, user: Any):
    if user is None or not user.is_authenticated:
        return Value(None, BooleanField()) if kind == "quiz" else Value(False)
    if kind == "lesson":
        return Exists(LessonProgress.objects.filter(volunteer=user, lesson=OuterRef("pk")))
    if kind == "quiz":
        # None: not attempted; True: passed; False: failed so far.
        return Subquery(QuizResult.objects.filter(volunteer=user, quiz=OuterRef("pk")).values("passed")[:1])
    raise ValueError(kind)


def _item_state(kind: str, done: bool | None) -> str:
    if kind == "quiz":
        return {True: PASSED, False: FAILED}.get(done, NOT_STARTED)
    return DONE if done else NOT_STARTED


def _under(paths: list[str]) -> Q:
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def _build_outlines(
    *, sources: list[CoursePage], shown: dict[int, CoursePage], user: Any
) -> dict[int, CourseOutline]:
    """Outlines of default-locale courses with the user's state, in two queries for any number of
    courses, modules and lessons.

    `shown` maps a source course id to its translation the reader sees (when it exists): its
    modules and items replace the source's where translated. Items under a view restriction are
    left out. Enrolment and completion are read from the source courses' annotations.
    """
    outlines: dict[int, CourseOutline] = {}
    if not sources:
        return outlines
    steplen = Page.steplen
    for course in sources:
        outlines[course.pk] = CourseOutline(
            course=shown.get(course.pk, course),
            source_course=course,
            enrolled_at=getattr(course, "enrolled_at", None),
            completed_at=getattr(course, "completed_at", None),
        )
    paths = [course.path for course in sources] + [course.path for course in shown.values()]
    depth = sources[0].depth
    modules = (
        ModulePage.objects.filter(_under(paths), depth=depth + 1, live=True)
        .annotate(restricted=view_restriction_exists())
        .only(*PAGE_FIELDS, "summary")
        .order_by("path")
    )
    source_by_path = {course.path: course for course in sources}
    source_by_shown_path = {course.path: source_id for source_id, course in shown.items()}
    modules_by_path: dict[str, OutlineModule] = {}
    module_translations: dict[tuple[int, str], ModulePage] = {}
    for module in modules:
        parent_path = module.path[:-steplen]
        if module.restricted:
            continue
        if parent_path in source_by_path:
            entry = OutlineModule(page=module, source=module, translated=False)
            outlines[source_by_path[parent_path].pk].modules.append(entry)
            modules_by_path[module.path] = entry
        elif parent_path in source_by_shown_path:
            module_translations[(source_by_shown_path[parent_path], module.translation_key)] = module
    item_translations: dict[tuple[int, str], Page] = {}
    for model, kind, fields in OUTLINE_ITEM_MODELS:
        pages = (
            model.objects.filter(_under(paths), depth=depth + 2, live=True)
            .annotate(restricted=view_restriction_exists(), done=_done_annotation(kind, user))
            .only(*fields)
            .order_by("path")
        )
        for page in pages:
            if page.restricted:
                continue
            course_path = page.path[: -2 * steplen]
            if course_path in source_by_shown_path:
                item_translations[(source_by_shown_path[course_path], page.translation_key)] = page
                continue
            module = modules_by_path.get(page.path[:-steplen])
            if module is None:
                continue
            course = source_by_path[course_path]
            module.items.append(
                OutlineItem(
                    page=page,
                    source=page,
                    kind=kind,
                    required=getattr(page, "is_required", True),
                    counts=_lesson_counts(page, course.completion_rule) if kind == "lesson" else True,
                    state=_item_state(kind, page.done),
                    translated=course.pk not in shown,
                )
            )
    for outline in outlines.values():
        outline.modules.sort(key=lambda module: module.source.path)
        for module in outline.modules:
            module.items.sort(key=lambda item: item.source.path)
        source_id = outline.source_course.pk
        if source_id not in shown:
            for module in outline.modules:
                module.translated = True
            continue
        for module in outline.modules:
            translated = module_translations.get((source_id, module.source.translation_key))
            if translated is not None:
                module.page, module.translated = translated, True
            for item in module.items:
                translated_item = item_translations.get((source_id, item.source.translation_key))
                if translated_item is not None:
                    item.page, item.translated = translated_item, True
    return outlines


def _with_learning_state(queryset: QuerySet[CoursePage], user: Any) -> QuerySet[CoursePage]:
    """Courses annotated with the user's enrolment and completion dates (None when none)."""
    if user is None or not user.is_authenticated:
        return queryset.annotate(
            enrolled_at=Value(None, DateTimeField()), completed_at=Value(None, DateTimeField())
        )
    enrolments = Enrollment.objects.filter(volunteer=user, course=OuterRef("pk"))
    completions = CourseCompletion.objects.filter(volunteer=user, course=OuterRef("pk"))
    return queryset.annotate(
        enrolled_at=Subquery(enrolments.values("enrolled_at")[:1]),
        completed_at=Subquery(completions.values("completed_at")[:1]),
    )


COURSE_FIELDS = (*PAGE_FIELDS, "completion_rule")


def course_learning_outline(
    *,
    user: Any,
    course: CoursePage | None = None,
    lesson: Page | None = None,
    module: Page | None = None,
) -> CourseOutline:
    """The outline of the course shown (or of the course a lesson or module belongs to) with the
    reader's state.

    Progress is read from the default-locale pages, so it is the same in every language. Costs
    three queries for any number of modules and lessons.
    """
    default_language = settings.LANGUAGE_CODE
    if course is not None:
        wanted = Q(pk=course.pk) | Q(
            translation_key=course.translation_key, locale__language_code=default_language
        )
        shown_match = course.path
    else:
        below = lesson if lesson is not None else module
        levels = 2 if lesson is not None else 1
        shown_match = below.path[: -levels * Page.steplen]
        wanted = Q(path=shown_match) | Q(
            translation_key__in=CoursePage.objects.filter(path=shown_match).values("translation_key"),
            locale__language_code=default_language,
        )
    found = list(
        _with_learning_state(CoursePage.objects.filter(wanted), user)
        .annotate(language_code=F("locale__language_code"))
        .only(*COURSE_FIELDS)
    )
    shown = next((page for page in found if page.path == shown_match), None)
    if shown is None:
        # A course previewed before its first save: nothing below it, nobody enrolled.
        shown = course if course is not None else CoursePage(path=shown_match, depth=below.depth - levels)
    source = next((page for page in found if page.language_code == default_language), shown)
    translations = {source.pk: shown} if shown.pk != source.pk else {}
    outline = _build_outlines(sources=[source], shown=translations, user=user)[source.pk]
    if course is not None:
        outline.course = course
    return outline


@dataclass
class LessonPlace:
    """Where a lesson sits in its course outline: its module, item, and the items around it."""

    module: OutlineModule | None
    item: OutlineItem | None
    previous_page: Page | None
    next_page: Page | None


def lesson_place(*, outline: CourseOutline, lesson: Page) -> LessonPlace:
    items = outline.items
    for index, item in enumerate(items):
        if lesson.pk in (item.page.pk, item.source.pk):
            module = next(module for module in outline.modules if item in module.items)
            previous = items[index - 1].page if index > 0 else None
            following = items[index + 1].page if index + 1 < len(items) else None
            return LessonPlace(module=module, item=item, previous_page=previous, next_page=following)
    return LessonPlace(module=None, item=None, previous_page=None, next_page=None)


def outline_module(*, outline: CourseOutline, module: Page) -> OutlineModule | None:
    """The module of an outline shown as `module` (the page itself or its default-locale source)."""
    return next(
        (entry for entry in outline.modules if module.pk in (entry.page.pk, entry.source.pk)),
        None,
    )


def default_locale_page(page: Page) -> Page:
    """The default-locale (Thai) version of a page, which enrolment and progress point at."""
    model = page.specific_class or type(page)
    source = model.objects.filter(
        translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return source or page


# --- The learning dashboard -------------------------------------------------------------------


@dataclass
class Dashboard:
    in_progress: list[CourseOutline]
    completed: list[CourseOutline]
    available: list[CoursePage]


def learning_dashboard(*, user: Any, language_code: str) -> Dashboard:
    """A volunteer's courses in progress and completed, and the courses they can start next.

    Courses are shown in the reader's language when translated. Costs the same queries for one
    enrolment or twenty.
    """
    default_language = settings.LANGUAGE_CODE
    courses = list(
        _with_learning_state(
            CoursePage.objects.filter(locale__language_code=default_language, live=True),
            user,
        )
        .annotate(restricted=view_restriction_exists())
        .prefetch_related("prerequisites")
        .only(*COURSE_FIELDS, "summary")
        .order_by("path")
    )
    courses = [course for course in courses if not course.restricted]
    enrolled = sorted(
        (course for course in courses if course.enrolled_at is not None),
        key=lambda course: course.enrolled_at,
        reverse=True,
    )
    completed_ids = {course.pk for course in courses if course.completed_at is not None}
    available = [
        course
        for course in courses
        if course.enrolled_at is None
        and all(prerequisite.pk in completed_ids for prerequisite in course.prerequisites.all())
    ]
    shown: dict[int, CoursePage] = {}
    if language_code != default_language:
        keys = [course.translation_key for course in enrolled + available]
        translations = {
            page.translation_key: page
            for page in CoursePage.objects.filter(
                translation_key__in=keys, locale__language_code=language_code, live=True
            ).only(*COURSE_FIELDS, "summary")
        }
        shown = {
            course.pk: translations[course.translation_key]
            for course in enrolled
            if course.translation_key in translations
        }
        available = [translations.get(course.translation_key, course) for course in available]
    outlines = _build_outlines(sources=enrolled, shown=shown, user=user)
    ordered = [outlines[course.pk] for course in enrolled]
    return Dashboard(
        in_progress=[outline for outline in ordered if not outline.is_completed],
        completed=sorted(
            (outline for outline in ordered if outline.is_completed),
            key=lambda outline: outline.completed_at,
            reverse=True,
        ),
        available=available,
    )


def volunteer_course_progress(*, user: Any) -> list[CourseOutline]:
    """Every course a person is enrolled in with their progress, for the staff record view."""
    courses = list(
        _with_learning_state(CoursePage.objects.filter(enrollments__volunteer=user), user)
        .order_by("enrollments__enrolled_at")
        .only(*COURSE_FIELDS)
    )
    outlines = _build_outlines(sources=courses, shown={}, user=user)
    return [outlines[course.pk] for course in courses]


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
