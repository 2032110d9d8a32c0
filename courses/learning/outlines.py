"""A volunteer's outline of a course: its modules, lessons and quizzes, each with the reader's state.

The structure of a course, the same for every reader, is in `courses.authoring.structure`; a
request reads the reader's enrolment and progress in one query and lays their states over it.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import DateTimeField, F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from courses.authoring.models import CoursePage
from courses.authoring.selectors import course_details
from courses.authoring.structure import (
    COURSE_FIELDS,
    DONE,
    DONE_STATES,
    FAILED,
    NOT_STARTED,
    PASSED,
    CourseStructure,
    ItemStructure,
    ModuleStructure,
    OutlinePage,
    course_structures,
)
from courses.learning.models import CourseCompletion, CourseRun, Enrollment, LessonProgress
from training.content_version import content_cache, remember_version, request_version
from training.models import ContentVersion

if TYPE_CHECKING:
    from django.http import HttpRequest


# --- The outline a reader sees ----------------------------------------------------------------


class _ShowsPage:
    """An outline entry shows the page of its kept structure."""

    structure: ItemStructure | ModuleStructure

    @property
    def page(self) -> OutlinePage:
        return self.structure.page

    @property
    def translated(self) -> bool:
        return self.structure.page.translated


@dataclass
class OutlineItem(_ShowsPage):
    """One step of a course (a lesson or a quiz) with the reader's state."""

    structure: ItemStructure
    state: str = NOT_STARTED
    enrolled: bool = False

    @property
    def kind(self) -> str:
        return self.structure.kind

    @property
    def required(self) -> bool:
        return self.structure.required

    @property
    def counts(self) -> bool:
        return self.structure.counts

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES

    @property
    def entry(self) -> str:
        return self.structure.entries[self.state if self.enrolled else ""]


@dataclass
class OutlineModule(_ShowsPage):
    structure: ModuleStructure
    items: list[OutlineItem] = field(default_factory=list)

    # A module is built whole for a request and never changed after: what is counted from its items
    # is counted once.
    @cached_property
    def counted(self) -> list[OutlineItem]:
        """The items the course's completion rule counts."""
        return [item for item in self.items if item.counts]

    @cached_property
    def done_count(self) -> int:
        return sum(1 for item in self.counted if item.done)

    @property
    def summary(self) -> str:
        return self.structure.summary

    @property
    def items_html(self) -> SafeString:
        """The module's list of items in the reader's states, from entries rendered with the
        structure; empty when the module has none."""
        if not self.items:
            return mark_safe("")
        entries = "".join(item.entry for item in self.items)
        return mark_safe(f'<ol class="outline__lessons">{entries}</ol>')  # noqa: S308 (rendered templates)

    @property
    def percent(self) -> int:
        return share_percent(self.done_count, len(self.counted))


def share_percent(done: int, total: int) -> int:
    """`done` of `total` as a whole percentage rounded half up (2 of 3 is 67, 1 of 8 is 13), as
    every page and report shows a share."""
    if total == 0:
        return 0
    return (done * 200 + total) // (2 * total)


@dataclass
class CourseOutline:
    """A course with its modules and items, the reader's enrolment, progress and completion.

    Counted from the course's kept structure and the reader's progress; the modules and items (an
    object each, hundreds for a dashboard of ten courses) are built only when a page lists them.
    """

    course: CoursePage
    source_course: CoursePage
    structure: CourseStructure
    # The reader's progress by default-locale page (`ReaderState.progress`): True when done.
    progress: dict[int, bool] = field(default_factory=dict, repr=False)
    url: str = ""
    enrolled_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    # In a course with runs: the enrolment's deadline (every outline) and its run's name (the
    # dashboard and the staff record, read with `with_learning_state`).
    enrolment_id: int | None = None
    run_name: str = ""
    deadline: datetime.datetime | None = None
    # The request the outline was built for: what the reader has completed elsewhere is read from it
    # only when a page asks (`missing_prerequisites`).
    request: HttpRequest | None = field(default=None, repr=False, compare=False)

    @cached_property
    def modules(self) -> list[OutlineModule]:
        return [
            OutlineModule(structure=module, items=[self._item(item) for item in module.items])
            for module in self.structure.modules
        ]

    @cached_property
    def items(self) -> list[OutlineItem]:
        return [item for module in self.modules for item in module.items]

    def _item(self, item: ItemStructure) -> OutlineItem:
        return OutlineItem(
            structure=item,
            state=_item_state(item.kind, self.progress.get(item.page.source_pk)),
            enrolled=self.is_enrolled,
        )

    @property
    def total_count(self) -> int:
        """How many items the course's completion rule counts."""
        return len(self.structure.counted_ids)

    @cached_property
    def done_count(self) -> int:
        """How many of those the reader has done (a lesson) or passed (a quiz)."""
        progress = self.progress
        return sum(1 for pk in self.structure.counted_ids if progress.get(pk))

    @property
    def percent(self) -> int:
        if self.completed_at is not None and self.done_count == self.total_count:
            return 100
        return share_percent(self.done_count, self.total_count)

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_at is not None

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def requirements_met(self) -> bool:
        """Every item the completion rule counts is done (and there is at least one)."""
        return self.total_count > 0 and self.done_count == self.total_count

    @cached_property
    def next_item(self) -> OutlineItem | None:
        """Where "Start" or "Continue" leads: the first item not done, in course order."""
        progress = self.progress
        return next(
            (self._item(item) for item in self.structure.items if not progress.get(item.page.source_pk)), None
        )

    @property
    def first_item(self) -> OutlineItem | None:
        items = self.structure.items
        return self._item(items[0]) if items else None

    @cached_property
    def action(self) -> str:
        """The primary button: "enrol", "start", "continue" or "completed"."""
        if not self.is_enrolled:
            return "enrol"
        if self.is_completed:
            return "completed"
        if not any(map(self.progress.get, self.structure.item_ids)):
            return "start"
        return "continue"

    @property
    def action_item(self) -> OutlineItem | None:
        if self.action == "start":
            return self.next_item or self.first_item
        if self.action == "continue":
            return self.next_item
        return None

    @cached_property
    def missing_prerequisites(self) -> tuple:
        """The courses (`CourseLink`s) to complete before enrolling that the reader has not completed:
        all of them for a visitor not signed in, none once enrolled. Read only when a page asks."""
        if self.is_enrolled or self.request is None or not self.course.pk:
            return ()
        from courses.learning.selectors import prerequisites_not_completed

        details = course_details(course=self.course, request=self.request)
        return prerequisites_not_completed(user=self.request.user, prerequisites=details.prerequisites)


@dataclass
class ReaderState:
    """What a reader has done in some courses: enrolments and completions by course, and progress
    by default-locale lesson (True: done) and quiz (whether its result passed)."""

    enrolled_at: dict[int, datetime.datetime] = field(default_factory=dict)
    completed_at: dict[int, datetime.datetime] = field(default_factory=dict)
    progress: dict[int, bool] = field(default_factory=dict)
    # The deadline of an enrolment in a run (staff's extension, else the run's end), by course.
    deadline: dict[int, datetime.datetime] = field(default_factory=dict)


def _utc(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and timezone.is_naive(value):  # SQLite keeps UTC without its zone
        return timezone.make_aware(value, datetime.UTC)
    return value


# Where a reader's progress on each kind of outline item is kept: (kind, model, its page field,
# the boolean field saying it passed, or None when having a row means done). Lessons are
# learning's own; quizzes add their results from `CoursesConfig.ready()`.
PROGRESS_SOURCES: list[tuple[str, type[Model], str, str | None]] = [
    ("lesson", LessonProgress, "lesson", None)
]


def progress_source_register(kind: str, model: type[Model], target: str, passed: str | None = None) -> None:
    """Read the reader's state of `kind` items from `model` rows (once per kind)."""
    if all(known != kind for known, *_rest in PROGRESS_SOURCES):
        PROGRESS_SOURCES.append((kind, model, target, passed))


def reader_state(*, user: Any, course_ids: Iterable[int] = (), page_ids: Iterable[int] = ()) -> ReaderState:
    """The reader's enrolments and completions of these courses and progress on these pages, in one
    query.

    Written in SQL: it runs on every learning page, and building it with the ORM cost ten times
    what the database spends on it (an IN list of every item of the course)."""
    state = ReaderState()
    course_ids, page_ids = [int(pk) for pk in course_ids], [int(pk) for pk in page_ids]
    if user is None or not user.is_authenticated or not (course_ids or page_ids):
        return state
    quote = connection.ops.quote_name
    selects, params = [], []

    def among(ids: list[int]) -> tuple[str, list]:
        """`IN (…)` for these ids. On PostgreSQL one array parameter instead: the query's text is
        then the same for any number of ids, which psycopg parses once (a dashboard's list of every
        item of ten courses cost more to parse on every request than PostgreSQL took to answer)."""
        if connection.vendor == "postgresql":
            return "= ANY(%s)", [ids]
        return f"IN ({', '.join(['%s'] * len(ids))})", ids

    def select(
        kind: str, model, target: str, ids: list[int], at: str = "NULL", passed: str = "CAST(NULL AS BOOLEAN)"
    ) -> None:
        meta = model._meta
        column, volunteer = meta.get_field(target).column, meta.get_field("volunteer").column
        condition, values = among(ids)
        selects.append(
            f"SELECT '{kind}', {quote(column)}, {at}, {passed} FROM {quote(meta.db_table)} "  # noqa: S608 (names from models)
            f"WHERE {quote(volunteer)} = %s AND {quote(column)} {condition}"
        )
        params.extend([user.pk, *values])

    if course_ids:  # first, so SQLite reads the third column as dates
        select("enrolled", Enrollment, "course", course_ids, at=quote("enrolled_at"))
        select("completed", CourseCompletion, "course", course_ids, at=quote("completed_at"))
        enrolments, runs = Enrollment._meta, CourseRun._meta
        condition, values = among(course_ids)
        selects.append(
            f"SELECT 'deadline', e.{quote(enrolments.get_field('course').column)}, "  # noqa: S608 (names from models)
            f"COALESCE(e.{quote('deadline_extended_to')}, r.{quote('ends')}), CAST(NULL AS BOOLEAN) "
            f"FROM {quote(enrolments.db_table)} e JOIN {quote(runs.db_table)} r "
            f"ON r.{quote(runs.pk.column)} = e.{quote(enrolments.get_field('run').column)} "
            f"WHERE e.{quote(enrolments.get_field('volunteer').column)} = %s "
            f"AND e.{quote(enrolments.get_field('course').column)} {condition}"
        )
        params.extend([user.pk, *values])
    if page_ids:
        for kind, model, target, passed in PROGRESS_SOURCES:
            select(kind, model, target, page_ids, passed=quote(passed) if passed else "TRUE")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    for kind, pk, at, passed in rows:
        if kind == "enrolled":
            state.enrolled_at[pk] = _utc(at)
        elif kind == "completed":
            state.completed_at[pk] = _utc(at)
        elif kind == "deadline":
            state.deadline[pk] = _utc(at)
        else:
            state.progress[pk] = bool(passed)
    return state


def _course_pair(*, path: str, version: str | None) -> tuple[CoursePage, CoursePage] | None:
    """The default-locale course and the course at `path` (the same page when that is in the
    default locale), kept per content version; copies, so no request changes another's."""

    def build() -> tuple[CoursePage, CoursePage] | None:
        default_language = settings.LANGUAGE_CODE
        found = list(
            CoursePage.objects.filter(
                Q(path=path)
                | Q(
                    translation_key__in=CoursePage.objects.filter(path=path).values("translation_key"),
                    locale__language_code=default_language,
                )
            )
            .annotate(language_code=F("locale__language_code"))
            .only(*COURSE_FIELDS)
        )
        shown = next((page for page in found if page.path == path), None)
        if shown is None:
            return None
        return next((page for page in found if page.language_code == default_language), shown), shown

    pair = content_cache.get_or_build(version, ("course pair", path), build)
    return (copy.copy(pair[0]), copy.copy(pair[1])) if pair is not None else None


def _item_state(kind: str, progress: bool | None) -> str:
    if kind == "quiz":
        return {True: PASSED, False: FAILED}.get(progress, NOT_STARTED)
    return DONE if progress else NOT_STARTED


def with_learning_state(queryset: QuerySet[CoursePage], user: Any) -> QuerySet[CoursePage]:
    """Courses annotated with the user's enrolment and completion dates (None when none) and the
    content version, which their outlines' structures are kept under."""
    queryset = queryset.annotate(content_version=ContentVersion.current())
    if user is None or not user.is_authenticated:
        return queryset.annotate(
            enrolled_at=Value(None, DateTimeField()), completed_at=Value(None, DateTimeField())
        )
    enrolments = Enrollment.objects.filter(volunteer=user, course=OuterRef("pk"))
    completions = CourseCompletion.objects.filter(volunteer=user, course=OuterRef("pk"))
    return queryset.annotate(
        enrolled_at=Subquery(enrolments.values("enrolled_at")[:1]),
        completed_at=Subquery(completions.values("completed_at")[:1]),
        enrolment_id=Subquery(enrolments.values("pk")[:1]),
        run_name=Subquery(enrolments.values("run__name")[:1]),
        deadline=Subquery(
            enrolments.annotate(due=Coalesce("deadline_extended_to", "run__ends")).values("due")[:1]
        ),
    )


def build_outlines(
    *,
    sources: list[CoursePage],
    shown: dict[int, CoursePage],
    user: Any,
    request: HttpRequest | None,
    version: str | None,
) -> dict[int, CourseOutline]:
    """Outlines of default-locale courses (annotated by `with_learning_state`) with the user's
    state: one query for any number of courses, modules and lessons, once their structures are
    kept for `version`. `shown` maps a source course id to the translation the reader sees.
    """
    if not sources:
        return {}
    remember_version(request, version)
    pairs = [(source, shown.get(source.pk, source)) for source in sources]
    structures = course_structures(pairs=pairs, version=version, request=request)
    progress = reader_state(
        user=user, page_ids=[pk for structure in structures.values() for pk in structure.item_ids]
    ).progress
    return {
        source.pk: _outline(
            course=course,
            source=source,
            structure=structures[(source.pk, course.pk)],
            enrolled_at=source.enrolled_at,
            completed_at=source.completed_at,
            progress=progress,
            request=request,
            enrolment_id=getattr(source, "enrolment_id", None),
            run_name=getattr(source, "run_name", None) or "",
            deadline=_utc(getattr(source, "deadline", None)),
        )
        for source, course in pairs
    }


def _outline(
    *,
    course: CoursePage,
    source: CoursePage,
    structure: CourseStructure,
    enrolled_at: datetime.datetime | None,
    completed_at: datetime.datetime | None,
    progress: dict[int, bool],
    request: HttpRequest | None = None,
    enrolment_id: int | None = None,
    run_name: str = "",
    deadline: datetime.datetime | None = None,
) -> CourseOutline:
    """A course's structure with the reader's state laid over it."""
    return CourseOutline(
        course=course,
        source_course=source,
        structure=structure,
        progress=progress,
        url=structure.url,
        request=request,
        enrolled_at=enrolled_at,
        completed_at=completed_at,
        enrolment_id=enrolment_id,
        run_name=run_name,
        deadline=deadline,
    )


def course_learning_outline(
    *,
    user: Any,
    request: HttpRequest | None = None,
    course: CoursePage | None = None,
    lesson: Page | None = None,
    module: Page | None = None,
) -> CourseOutline:
    """The outline of the course shown (or of the course a lesson or module belongs to) with the
    reader's state.

    Progress is read from the default-locale pages, so it is the same in every language. Once the
    course is kept for the content version, costs the version (once per request), the reader's
    enrolment and their progress: three small queries for any number of modules and lessons.

    A trainer's preview shows the outline a volunteer will see once everything is published: pages
    not published yet included, nobody's enrolment or progress, built afresh and never kept.
    """
    previewing = bool(getattr(request, "is_preview", False))
    if previewing:
        user = None
    if course is not None:
        path = course.path
    else:
        below = lesson if lesson is not None else module
        levels = 2 if lesson is not None else 1
        path = below.path[: -levels * Page.steplen]
    version = None if previewing else request_version(request)
    pair = _course_pair(path=path, version=version)
    if pair is None:
        # A course previewed before its first save: nothing below it, nobody enrolled.
        shown = course if course is not None else CoursePage(path=path, depth=below.depth - levels)
        pair = (shown, shown)
    source, shown = pair
    structure = course_structures(pairs=[pair], version=version, request=request, drafts=previewing)[
        (source.pk, shown.pk)
    ]
    state = reader_state(user=user, course_ids=[source.pk] if source.pk else [], page_ids=structure.item_ids)
    return _outline(
        course=course or shown,
        source=source,
        structure=structure,
        enrolled_at=state.enrolled_at.get(source.pk),
        completed_at=state.completed_at.get(source.pk),
        progress=state.progress,
        request=request,
        deadline=state.deadline.get(source.pk),
    )


@dataclass
class LessonPlace:
    """Where a lesson sits in its course outline: its module, item, and the items around it."""

    module: OutlineModule | None
    item: OutlineItem | None
    previous_page: OutlinePage | None
    next_page: OutlinePage | None


def lesson_place(*, outline: CourseOutline, lesson: Page) -> LessonPlace:
    items = outline.items
    for index, item in enumerate(items):
        if lesson.pk in (item.page.pk, item.page.source_pk):
            module = next(module for module in outline.modules if item in module.items)
            previous = items[index - 1].page if index > 0 else None
            following = items[index + 1].page if index + 1 < len(items) else None
            return LessonPlace(module=module, item=item, previous_page=previous, next_page=following)
    return LessonPlace(module=None, item=None, previous_page=None, next_page=None)


def outline_module(*, outline: CourseOutline, module: Page) -> OutlineModule | None:
    """The module of an outline shown as `module` (the page itself or its default-locale source)."""
    return next(
        (entry for entry in outline.modules if module.pk in (entry.page.pk, entry.page.source_pk)),
        None,
    )
