"""Reminders: a volunteer enrolled in a course who has done nothing in it for the course's number of
days (`CoursePage.remind_after_days`, 14 unless the trainer chose otherwise, 0 for never) is told
once, with a link back to where they stopped.

Activity in a course is the enrolment itself, a lesson marked done, or a quiz attempt started or
finished (quizzes register their attempts from `CoursesConfig.ready()`, so learning does not import
them). A reminder is sent once per stretch of inactivity: the next one only after the volunteer did
something in the course again and then stopped for the same number of days. The enrolment keeps
when they were last reminded, and the notification's key (course and last activity) makes the
message once-only even if two jobs ran together.

The scheduler runs `course_reminders_send` every hour: a person inside their quiet hours (in their
own time zone) is skipped and reminded by the first run after their quiet hours end.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, Model, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from courses.authoring.models import CoursePage, LessonPage
from courses.authoring.page_mixins import view_restriction_exists
from courses.learning.models import CourseCompletion, Enrollment, LessonProgress
from courses.learning.notices import course_in_languages
from courses.learning.outlines import build_outlines, with_learning_state
from training.notices import VOLUNTEER, NoticeKind, in_quiet_window, kind_register, notify, per_language

logger = logging.getLogger(__name__)

COURSE_REMINDER = "course_reminder"

# Where a volunteer's activity in a course is recorded: (model, its page field, its moment field).
# The page sits below the default-locale course, so its path starts with the course's.
ACTIVITY_SOURCES: list[tuple[type[Model], str, str]] = [(LessonProgress, "lesson", "completed_at")]


def activity_source_register(model: type[Model], target: str, at: str) -> None:
    """Count rows of `model` (a volunteer's, on the page `target`, at the moment `at`) as activity."""
    if (model, target, at) not in ACTIVITY_SOURCES:
        ACTIVITY_SOURCES.append((model, target, at))


def register() -> None:
    kind_register(
        NoticeKind(
            name=COURSE_REMINDER,
            role=VOLUNTEER,
            templates="courses/notices/course_reminder",
            label=_("Reminders about courses you have not finished"),
            optional=True,
            link="link",
        )
    )


def last_activity(*, course: CoursePage, volunteer_ids: list[int]) -> dict[int, datetime.datetime]:
    """The latest moment each volunteer did something in the course (enrolment not included)."""
    latest: dict[int, datetime.datetime] = {}
    for model, target, at in ACTIVITY_SOURCES:
        rows = (
            model.objects.filter(
                volunteer_id__in=volunteer_ids, **{f"{target}__path__startswith": course.path}
            )
            .order_by()
            .values("volunteer_id")
            .annotate(latest=Max(at))
            .values_list("volunteer_id", "latest")
        )
        for volunteer_id, moment in rows:
            if moment is not None and (volunteer_id not in latest or moment > latest[volunteer_id]):
                latest[volunteer_id] = moment
    return latest


def _titles(page_pk: int) -> dict[str, str]:
    """The titles of a page in each language it is live in."""
    source = Page.objects.filter(pk=page_pk).only("translation_key").first()
    if source is None:
        return {}
    languages = dict(settings.LANGUAGES)
    pages = Page.objects.filter(translation_key=source.translation_key, live=True).select_related("locale")
    return {page.locale.language_code: page.title for page in pages if page.locale.language_code in languages}


def reminder_context(*, course: CoursePage, volunteer) -> dict:
    """What a reminder says: the course, a link back to where the volunteer stopped, and the first
    step not done (the dashboard's "Continue"), named only when it is not a sensitive lesson."""
    context = {"course_id": course.pk, "days": course.remind_after_days, **course_in_languages(course)}
    # One click back to where they stopped, as it is when they click: an address that names no
    # lesson (a lesson's own address would name a sensitive topic in its slug).
    context["link"] = per_language(lambda: reverse("learning_continue", args=[course.pk]))
    annotated = with_learning_state(CoursePage.objects.filter(pk=course.pk), volunteer).first()
    outline = build_outlines(
        sources=[annotated], shown={}, user=volunteer, request=None, version=annotated.content_version
    )[course.pk]
    item = outline.action_item
    if item is None:
        return context
    titles = _titles(item.page.source_pk)
    sensitive = LessonPage.objects.filter(pk=item.page.source_pk, is_sensitive=True).exists()
    if titles and not sensitive:
        context["step_title"] = titles
    return context


def course_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind every volunteer idle in a course for its number of days, once per stretch of
    inactivity, outside their quiet hours. Returns how many were reminded and how many wait."""
    now = now or timezone.now()
    sent = waiting = 0
    courses = (
        CoursePage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE, live=True, remind_after_days__gt=0
        )
        .annotate(restricted=view_restriction_exists())
        .filter(restricted=False)
        .order_by("path")
    )
    for course in courses:
        idle_since = now - datetime.timedelta(days=course.remind_after_days)
        # Reminded after `idle_since`: nothing done since (else the enrolment would not be idle).
        enrolments = list(
            Enrollment.objects.filter(
                course=course,
                enrolled_at__lte=idle_since,
                volunteer__is_active=True,
            )
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=idle_since))
            .exclude(
                Exists(
                    CourseCompletion.objects.filter(
                        volunteer=OuterRef("volunteer"), course=OuterRef("course")
                    )
                )
            )
            .select_related("volunteer")
        )
        if not enrolments:
            continue
        activity = last_activity(course=course, volunteer_ids=[e.volunteer_id for e in enrolments])
        for enrolment in enrolments:
            latest = max(enrolment.enrolled_at, activity.get(enrolment.volunteer_id, enrolment.enrolled_at))
            if latest > idle_since:
                continue  # active in the last N days
            if enrolment.reminded_at is not None and enrolment.reminded_at >= latest:
                continue  # reminded already, and nothing done since
            if in_quiet_window(enrolment.volunteer_id, now):
                waiting += 1  # the first hourly run after their quiet hours sends it
                continue
            try:
                with transaction.atomic():
                    notify(
                        enrolment.volunteer_id,
                        COURSE_REMINDER,
                        reminder_context(course=course, volunteer=enrolment.volunteer),
                        key=f"{course.pk}:{int(latest.timestamp())}",
                    )
                    # When it was really sent: a clock set ahead (the demo's) must not hide the
                    # next stretch of inactivity, which starts with activity after this moment.
                    Enrollment.objects.filter(pk=enrolment.pk).update(reminded_at=min(now, timezone.now()))
            except Exception:  # one person's failure must not stop everyone else's reminder
                logger.exception(
                    "The reminder of enrolment %s failed; the next run tries again", enrolment.pk
                )
                continue
            sent += 1
    if sent or waiting:
        logger.info("Course reminders: %s sent, %s waiting for the end of quiet hours", sent, waiting)
    return {"reminded": sent, "waiting_for_quiet_hours_to_end": waiting}
