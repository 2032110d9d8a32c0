"""Writes for courses that span models: course content pages, catalog translations, help lines,
the optional review workflow; and learning: enrolment, lesson progress and course completion.

Trainers author in the Wagtail admin; the content services serve the seeder and operators' scripts
through the same page, revision and publishing machinery. Learning records always point at the
default-locale (Thai) pages, whichever language the volunteer reads.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Locale, Page, Workflow, WorkflowPage

from courses.completion import notify_course_completed
from courses.models import (
    CourseCompletion,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    HelpLine,
    LessonPage,
    LessonProgress,
    ModulePage,
)

REVIEW_WORKFLOW_NAME = "Review by lead trainer"


def _without_ids(value: Any) -> Any:
    """Stream data without block ids, so equal content compares equal."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _differs(page: Page, fields: dict[str, Any]) -> bool:
    for name, wanted in fields.items():
        current = getattr(page, name)
        if hasattr(current, "raw_data"):
            stream_block = page._meta.get_field(name).stream_block
            normalised = stream_block.get_prep_value(stream_block.to_python(wanted))
            if _without_ids(list(current.raw_data)) != _without_ids(normalised):
                return True
        elif current != wanted:
            return True
    return False


@transaction.atomic
def course_content_upsert(
    *,
    parent: Page,
    page_class: type[Page],
    slug: str,
    fields: dict[str, Any],
    tags: list[str] | None = None,
    prerequisites: list[CoursePage] | None = None,
) -> Page:
    """Create or update a live child page of `parent` by slug and publish it as a new revision.

    Nothing is written when the page already has this content, so running it again changes nothing.
    """
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        page = page_class(slug=slug, **fields)
        if tags is not None:
            page.tags.set(tags)
        if prerequisites is not None:
            page.prerequisites.set(prerequisites)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = _differs(page, fields) or not page.live or page.has_unpublished_changes
    if tags is not None and sorted(page.tags.names()) != sorted(tags):
        page.tags.set(tags)
        changed = True
    if prerequisites is not None and {p.pk for p in page.prerequisites.all()} != {
        p.pk for p in prerequisites
    }:
        page.prerequisites.set(prerequisites)
        changed = True
    if changed:
        for name, value in fields.items():
            setattr(page, name, value)
        page.draft_title = page.title
        page.save_revision().publish()
    return page


@transaction.atomic
def course_content_translate(
    *, source: Page, language_code: str, fields: dict[str, Any], tags: list[str] | None = None
) -> Page:
    """Create or update the translation of a course, module or lesson page and publish it.

    The translation keeps the source's place in the tree (its parent must be translated first) and
    gets the translated fields; nothing is written when it already has them.
    """
    locale = Locale.objects.get(language_code=language_code)
    translation = source.get_translation_or_none(locale)
    if translation is None:
        translation = source.copy_for_translation(locale)
    translation = translation.specific
    changed = _differs(translation, fields) or not translation.live or translation.has_unpublished_changes
    if tags is not None and sorted(translation.tags.names()) != sorted(tags):
        translation.tags.set(tags)
        changed = True
    if changed:
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.draft_title = translation.title
        translation.save_revision().publish()
    return translation


@transaction.atomic
def catalog_translation_ensure(
    *, catalog: CourseIndexPage, language_code: str, title: str
) -> CourseIndexPage:
    """The catalog in another language, below that language's home page, live under `title`."""
    locale = Locale.objects.get(language_code=language_code)
    translation = catalog.get_translation_or_none(locale)
    if translation is None:
        translation = catalog.copy_for_translation(locale)
    translation = translation.specific
    if translation.title != title or not translation.live or translation.has_unpublished_changes:
        translation.title = translation.draft_title = title
        translation.save_revision().publish()
    return translation


# Page bookkeeping that changes without the content changing (children added, publishing).
_BOOKKEEPING = {
    "numchild",
    "latest_revision",
    "live_revision",
    "latest_revision_created_at",
    "last_published_at",
    "first_published_at",
    "has_unpublished_changes",
    "draft_title",
    "live",
}


def _content_of(content_json: str) -> dict[str, Any]:
    return {key: value for key, value in json.loads(content_json).items() if key not in _BOOKKEEPING}


@transaction.atomic
def page_translation_sync(
    *, source: Page, language_code: str, translate: Callable[[str], str | None], user: Any = None
) -> Page:
    """Translate a course, module, lesson or quiz page with wagtail-localize, as the admin's
    "Translate" action does, and publish the translation when anything changed.

    Records the source's strings, stores `translate(text)` for each string it can translate (the
    others keep the source text), and saves the target through wagtail-localize: the translation
    keeps the source's place in the tree, its block ids and everything that is not text (settings,
    answer keys, images). Running it again with the same content writes nothing.
    """
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    source = Page.objects.get(pk=source.pk).specific  # as stored, so an unchanged page compares equal
    locale = Locale.objects.get(language_code=language_code)
    record = TranslationSource.objects.filter(
        object_id=source.translation_key, locale_id=source.locale_id
    ).first()
    changed = record is None or _content_of(record.content_json) != _content_of(source.to_json())
    if changed:
        record, _created = TranslationSource.update_or_create_from_instance(source)
    for segment in record.stringsegment_set.select_related("string", "context"):
        text = translate(segment.string.data)
        if text is None:
            continue
        existing = StringTranslation.objects.filter(
            translation_of=segment.string, locale=locale, context=segment.context
        ).first()
        if existing is not None and existing.data == text:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )
        changed = True
    translation, created = Translation.objects.get_or_create(
        source=record, target_locale=locale, defaults={"enabled": True}
    )
    if not translation.enabled:
        translation.enabled = True
        translation.save(update_fields=["enabled"])
        changed = True
    target = source.get_translation_or_none(locale)
    if created or target is None or not target.live or target.has_unpublished_changes:
        changed = True
    if changed:
        # Published here and now rather than when the transaction commits (as `save_target` does),
        # so pages translated after this one in the same transaction are not counted out of the tree.
        record.create_or_update_translation(
            locale, user=user, publish=False, fallback=True, copy_parent_pages=True
        )
        source.get_translation(locale).get_latest_revision().publish(user=user)
    return source.get_translation(locale).specific


def catalog_translation_permissions_sync() -> None:
    """Give every translation of the catalog the group page permissions of the Thai catalog, so
    trainers can edit the translations they start (wagtail-localize may create the catalog's
    translation itself, as the parent of the first course translated)."""
    import importlib

    from django.apps import apps

    importlib.import_module("courses.migrations.0006_translation_permissions").grant_translation_permissions(
        apps
    )


def on_page_published(*, instance: Any, **kwargs: Any) -> None:
    """Receiver of Wagtail's `page_published`: keep the published page's count of children true.

    A revision saved before children were added (wagtail-localize saves a translation's revision,
    then adds its translated children, and publishes when the transaction commits) carries the old
    count, and publishing it would hide those children from the tree.
    """
    if isinstance(instance, CourseIndexPage | CoursePage | ModulePage):
        count = Page.objects.filter(path__startswith=instance.path, depth=instance.depth + 1).count()
        if count != instance.numchild:
            Page.objects.filter(pk=instance.pk).update(numchild=count)
            instance.numchild = count


def on_copy_for_translation(*, target_obj: Any, **kwargs: Any) -> None:
    """Receiver of Wagtail's `copy_for_translation_done`: a new catalog translation (made for this
    page or as one of its parents) gets its rights at once."""
    if isinstance(target_obj, Page):
        catalog_translation_permissions_sync()


@transaction.atomic
def course_review_require(*, course: CoursePage) -> WorkflowPage:
    """Make changes to this course go through the "Review by lead trainer" workflow."""
    workflow = Workflow.objects.get(name=REVIEW_WORKFLOW_NAME)
    assignment, _ = WorkflowPage.objects.update_or_create(page=course, defaults={"workflow": workflow})
    return assignment


@transaction.atomic
def help_line_upsert(
    *, country: str, organisation: str, phone: str, hours: str, languages: str, sort_order: int = 0
) -> HelpLine:
    """Create or refresh a help line, keyed by country, organisation and phone number."""
    line, _ = HelpLine.objects.update_or_create(
        country=country.upper(),
        organisation=organisation,
        phone=phone,
        defaults={"hours": hours, "languages": languages, "sort_order": sort_order},
    )
    return line


# --- Learning -----------------------------------------------------------------------------------


class LearningError(Exception):
    """A learning action refused for a reason the volunteer can act on; `str()` is translated."""


class PrerequisitesMissing(LearningError):
    def __init__(self, missing: list[CoursePage]):
        self.missing = missing
        super().__init__(
            _("Complete %(courses)s first, then enrol in this course.")
            % {"courses": ", ".join(f"“{course.title}”" for course in missing)}
        )


class NotEnrolled(LearningError):
    def __init__(self):
        super().__init__(_("Enrol in the course first to record your progress."))


class CourseUnavailable(LearningError):
    def __init__(self):
        super().__init__(_("This course is not open for enrolment."))


def _default_locale_version(page: Page) -> Page:
    from courses.selectors import default_locale_page

    return default_locale_page(page)


def _course_of(lesson: Page) -> CoursePage:
    return CoursePage.objects.get(path=lesson.path[: -2 * Page.steplen])


def _missing_prerequisites(*, volunteer: Any, course: CoursePage) -> list[CoursePage]:
    completed = set(CourseCompletion.objects.filter(volunteer=volunteer).values_list("course_id", flat=True))
    return [
        prerequisite
        for prerequisite in course.prerequisites.filter(live=True).order_by("path")
        if prerequisite.pk not in completed
    ]


def _log_for_volunteer(volunteer: Any, action: str, actor: Any, data: dict) -> None:
    """Audit a staff action on the volunteer's record, where the record view shows its history."""
    profile = getattr(volunteer, "volunteer_profile", None)
    log(profile if profile is not None else volunteer, action, user=actor, data=data)


@transaction.atomic
def course_enrol(
    *,
    volunteer: Any,
    course: CoursePage,
    actor: Any | None = None,
    source: str = Enrollment.Source.SELF,
) -> tuple[Enrollment, bool]:
    """Enrol a volunteer in a course (its default-locale page); returns (enrolment, newly made).

    A volunteer enrolling themselves must have completed the course's prerequisites. Staff may
    enrol without them (they can judge equivalent training); their enrolments are audited.
    Enrolling twice changes nothing.
    """
    course = _default_locale_version(course)
    if not course.live:
        raise CourseUnavailable
    existing = Enrollment.objects.filter(volunteer=volunteer, course=course).first()
    if existing is not None:
        return existing, False
    if source == Enrollment.Source.SELF:
        missing = _missing_prerequisites(volunteer=volunteer, course=course)
        if missing:
            raise PrerequisitesMissing(missing)
    try:
        with transaction.atomic():
            enrolment = Enrollment.objects.create(
                volunteer=volunteer, course=course, source=source, enrolled_by=actor
            )
    except IntegrityError:
        # A concurrent request enrolled them first.
        return Enrollment.objects.get(volunteer=volunteer, course=course), False
    if actor is not None and actor.pk != volunteer.pk:
        _log_for_volunteer(
            volunteer, "courses.enrol", actor, {"course": course.title, "course_id": course.pk}
        )
        from courses.tasks import enrolment_email_send

        transaction.on_commit(lambda: enrolment_email_send.enqueue(enrollment_id=enrolment.pk))
    return enrolment, True


@transaction.atomic
def lesson_complete(*, volunteer: Any, lesson: LessonPage) -> bool:
    """Record a lesson as done (once; repeats change nothing), then check the course's completion.

    Returns whether this call newly recorded it. The volunteer must be enrolled in the course.
    """
    lesson = _default_locale_version(lesson)
    if not lesson.live:
        raise CourseUnavailable
    course = _course_of(lesson)
    if not Enrollment.objects.filter(volunteer=volunteer, course=course).exists():
        raise NotEnrolled
    try:
        with transaction.atomic():
            LessonProgress.objects.create(volunteer=volunteer, lesson=lesson)
        created = True
    except IntegrityError:
        created = False
    course_completion_check(volunteer=volunteer, course=course)
    return created


def course_completion_requirements_met(*, volunteer: Any, course: CoursePage) -> bool:
    """The course's completion rule holds: every item it counts is done.

    Under "required lessons and quizzes" the required lessons count; under "all lessons and
    quizzes" every lesson does. Quizzes (the next issue) add their items to the same outline.
    """
    from courses.outlines import course_learning_outline

    return course_learning_outline(user=volunteer, course=course).requirements_met


@transaction.atomic
def course_completion_record(
    *, volunteer: Any, course: CoursePage, completed_at: datetime.datetime | None = None
) -> CourseCompletion | None:
    """Record the completion once; only the call that recorded it notifies the listeners.

    Returns the new completion, or None when one already existed. Two requests at the same moment
    meet the unique constraint: the second one's insert fails and it notifies nobody.
    """
    course = _default_locale_version(course)
    if CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists():
        return None
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                volunteer=volunteer, course=course, completed_at=completed_at or timezone.now()
            )
    except IntegrityError:
        return None
    notify_course_completed(volunteer=volunteer, course=course, completed_at=completion.completed_at)
    return completion


@transaction.atomic
def course_completion_check(*, volunteer: Any, course: CoursePage) -> CourseCompletion | None:
    """Record the completion when the course's rule now holds; None when not met or already recorded.

    A completion is never undone: content added later changes the progress shown to volunteers
    who have not finished, not the completions already recorded.
    """
    course = _default_locale_version(course)
    if CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists():
        return None
    if not course_completion_requirements_met(volunteer=volunteer, course=course):
        return None
    return course_completion_record(volunteer=volunteer, course=course)


@dataclass
class BulkEnrolOutcome:
    line: int
    email: str
    outcome: str  # "enrolled", "already", "unknown", "invalid"
    message: str


BULK_ENROL_MAX_BYTES = 1_000_000


def course_enrol_many(*, volunteers: list[Any], course: CoursePage, actor: Any) -> tuple[int, int]:
    """Staff enrol several volunteers; returns (newly enrolled, already enrolled)."""
    new = already = 0
    for volunteer in volunteers:
        _enrolment, created = course_enrol(
            volunteer=volunteer, course=course, actor=actor, source=Enrollment.Source.STAFF
        )
        if created:
            new += 1
        else:
            already += 1
    return new, already


def _emails_from_csv(raw: bytes) -> list[tuple[int, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LearningError(_("The file is not UTF-8 text. Save the CSV as UTF-8 and try again.")) from error
    found: list[tuple[int, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        value = cells[0]
        if number == 1 and "@" not in value:
            continue  # a heading row
        found.append((number, value))
    if not found:
        raise LearningError(_("The file has no email addresses."))
    if len(found) > 5000:
        raise LearningError(_("The file has more than 5000 rows. Split it and upload each part."))
    return found


def course_enrol_csv(*, raw: bytes, course: CoursePage, actor: Any) -> list[BulkEnrolOutcome]:
    """Staff enrol the volunteers listed by email (first column of a CSV) in a course.

    Each row's outcome is reported; unknown addresses are reported, never created.
    """
    if len(raw) > BULK_ENROL_MAX_BYTES:
        raise LearningError(_("The file is larger than 1 MB."))
    rows = _emails_from_csv(raw)
    User = get_user_model()
    outcomes: list[BulkEnrolOutcome] = []
    with transaction.atomic():
        for line, email in rows:
            try:
                validate_email(email)
            except ValidationError:
                outcomes.append(BulkEnrolOutcome(line, email, "invalid", _("Not an email address.")))
                continue
            volunteer = User.objects.filter(
                email__iexact=email, is_active=True, volunteer_profile__isnull=False
            ).first()
            if volunteer is None:
                outcomes.append(
                    BulkEnrolOutcome(line, email, "unknown", _("No volunteer has this email address."))
                )
                continue
            _enrolment, created = course_enrol(
                volunteer=volunteer, course=course, actor=actor, source=Enrollment.Source.STAFF
            )
            outcomes.append(
                BulkEnrolOutcome(
                    line,
                    email,
                    "enrolled" if created else "already",
                    _("Enrolled; an email is on its way.") if created else _("Already enrolled."),
                )
            )
    return outcomes
