"""Weekly digests: each trainer hears what happened last week in the courses they may edit
(enrolments, completions, quizzes whose pass rate fell below `QUIZ_PASS_RATE_ALERT`), and staff hear
what waits for them (applicants to register, organisations named by volunteers to confirm); a
country coordinator hears the same of their countries only.

A digest covers the seven days before Monday 08:00 Bangkok time. From then until Tuesday 08:00 the
scheduler runs `weekly_digests_send` every hour: each person is sent their digest by the first run
outside their quiet hours (in their own time zone), once per ISO week (the notification's key), and
not at all when there is nothing to report or they turned the kind off.
"""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.authoring.selectors import courses_editable_by, quiz_course_path
from courses.learning.models import CourseCompletion, Enrollment
from courses.quizzes.models import QuizAttempt
from courses.reports.dashboard import applicants_ready_to_register
from training.notices import STAFF, TRAINER, NoticeKind, in_quiet_window, kind_register, notify
from volunteers.coordinators import COORDINATORS_GROUP, countries_of, in_countries
from volunteers.models import Organization, VolunteerProfile

logger = logging.getLogger(__name__)

TRAINER_DIGEST = "trainer_digest"
STAFF_DIGEST = "staff_digest"
# The Wagtail groups whose members receive each digest (volunteers' migrations create them).
TRAINER_GROUPS = ("Trainers", "Lead trainers")
STAFF_GROUPS = ("Staff", COORDINATORS_GROUP)
# Digests go out from Monday 08:00 Bangkok time, for a day (quiet hours end within it).
SEND_FROM = datetime.timedelta(hours=8)
SEND_FOR = datetime.timedelta(days=1)


def register() -> None:
    kind_register(
        NoticeKind(
            name=TRAINER_DIGEST,
            role=TRAINER,
            templates="courses/notices/trainer_digest",
            label=_("Weekly summary of your courses"),
            optional=True,
            link="link",
        )
    )
    kind_register(
        NoticeKind(
            name=STAFF_DIGEST,
            role=STAFF,
            templates="courses/notices/staff_digest",
            label=_("Weekly summary of what waits for staff"),
            optional=True,
            link="link",
        )
    )


def digest_week(now: datetime.datetime) -> tuple[datetime.datetime, str]:
    """The Monday 08:00 (Bangkok) at or before `now` that ends the week a digest covers, and its
    ISO week ("2026-W46"), the digest's once-only key."""
    local = now.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE))
    monday = (local - datetime.timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    end = monday + SEND_FROM
    if end > local:
        end -= datetime.timedelta(weeks=1)
    year, week, _day = end.isocalendar()
    return end.astimezone(datetime.UTC), f"{year}-W{week:02d}"


def _period(since: datetime.datetime, until: datetime.datetime) -> dict[str, str]:
    zone = ZoneInfo(settings.DISPLAY_TIME_ZONE)
    return {
        "since": since.astimezone(zone).date().isoformat(),
        "until": (until.astimezone(zone) - datetime.timedelta(days=1)).date().isoformat(),
    }


def trainer_digest(*, user, since: datetime.datetime, until: datetime.datetime) -> dict | None:
    """What happened in the courses `user` may edit between `since` and `until`; None if nothing."""
    courses = list(
        courses_editable_by(user=user).filter(live=True).order_by("path").only("pk", "title", "path")
    )
    if not courses:
        return None
    ids = [course.pk for course in courses]
    enrolled = dict(
        Enrollment.objects.filter(course_id__in=ids, enrolled_at__gte=since, enrolled_at__lt=until)
        .order_by()
        .values_list("course_id")
        .annotate(count=Count("pk"))
    )
    completed = dict(
        CourseCompletion.objects.filter(course_id__in=ids, completed_at__gte=since, completed_at__lt=until)
        .order_by()
        .values_list("course_id")
        .annotate(count=Count("pk"))
    )
    rows = [
        {
            "title": course.title,
            "enrolments": enrolled.get(course.pk, 0),
            "completions": completed.get(course.pk, 0),
        }
        for course in courses
        if enrolled.get(course.pk) or completed.get(course.pk)
    ]
    titles = {course.path: course.title for course in courses}
    attempts = (
        QuizAttempt.objects.filter(
            state=QuizAttempt.State.FINISHED,
            finished_at__gte=since,
            finished_at__lt=until,
            passed__isnull=False,
        )
        .annotate(course_path=quiz_course_path())
        .filter(course_path__in=list(titles))
        .order_by()
        .values("quiz_id", "quiz__title", "course_path")
        .annotate(attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
    )
    quizzes = [
        {
            "title": row["quiz__title"],
            "course": titles[row["course_path"]],
            "attempts": row["attempts"],
            "passed": row["passed"],
            "percent": round(100 * row["passed"] / row["attempts"]),
            "url": reverse("courses_quiz_statistics", args=[row["quiz_id"]]),
        }
        for row in attempts
        if row["attempts"] >= settings.QUIZ_PASS_RATE_MIN_ATTEMPTS
        and row["passed"] / row["attempts"] < settings.QUIZ_PASS_RATE_ALERT
    ]
    quizzes.sort(key=lambda quiz: (quiz["percent"], quiz["title"]))
    if not rows and not quizzes:
        return None
    return {
        **_period(since, until),
        "enrolments": sum(row["enrolments"] for row in rows),
        "completions": sum(row["completions"] for row in rows),
        "courses": rows,
        "quizzes": quizzes,
        "threshold": round(100 * settings.QUIZ_PASS_RATE_ALERT),
        "link": reverse("courses_report_quiz_results"),
    }


def staff_digest(*, since: datetime.datetime, until: datetime.datetime, user=None) -> dict | None:
    """What waits for staff: applicants to register, organisations to confirm; None if nothing.
    For a country coordinator (`user`), only what waits in their countries."""
    applicants = VolunteerProfile.objects.filter(
        status=VolunteerProfile.Status.APPLICANT, erased_at__isnull=True
    )
    organisations = Organization.objects.filter(is_confirmed=False)
    if user is not None:
        applicants, organisations = in_countries(applicants, user), in_countries(organisations, user)
    ready = applicants_ready_to_register(user).count()
    new_applicants = applicants.filter(created_at__gte=since, created_at__lt=until).count()
    organisations = organisations.count()
    if not (ready or organisations):
        return None
    people = reverse("wagtailsnippets_volunteers_volunteerprofile:list")
    return {
        **_period(since, until),
        "applicants_ready": ready,
        "applicants_new": new_applicants,
        "applicants_waiting": applicants.count(),
        "organisations_to_confirm": organisations,
        "link": reverse("wagtailadmin_home"),
        "applicants_url": f"{people}?status={VolunteerProfile.Status.APPLICANT}",
        "organisations_url": reverse("wagtailsnippets_volunteers_organization:list") + "?is_confirmed=false",
    }


def _members(groups: tuple[str, ...]):
    return get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct().order_by("pk")


def weekly_digests_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send this week's digests to the trainers and staff who have not had theirs, outside their
    quiet hours; from Monday 08:00 Bangkok time for a day, nothing at other times."""
    now = now or timezone.now()
    until, week = digest_week(now)
    counts = {"trainer_digests": 0, "staff_digests": 0, "waiting_for_quiet_hours_to_end": 0}
    if now - until >= SEND_FOR:
        return counts
    since = until - datetime.timedelta(weeks=1)
    staff = None
    for kind, groups, counter in (
        (TRAINER_DIGEST, TRAINER_GROUPS, "trainer_digests"),
        (STAFF_DIGEST, STAFF_GROUPS, "staff_digests"),
    ):
        for user in _members(groups):
            if in_quiet_window(user.pk, now):
                counts["waiting_for_quiet_hours_to_end"] += 1
                continue
            try:
                if kind == TRAINER_DIGEST:
                    context = trainer_digest(user=user, since=since, until=until)
                elif countries_of(user) is not None:  # a coordinator: their countries' own digest
                    context = staff_digest(since=since, until=until, user=user)
                else:
                    staff = staff if staff is not None else (staff_digest(since=since, until=until) or {})
                    context = staff or None
                if context is None:
                    continue
                notify(user.pk, kind, {**context, "week": week}, key=week)
            except Exception:  # one person's failure must not stop everyone else's digest
                logger.exception("The %s of person %s failed; the next run tries again", kind, user.pk)
                continue
            counts[counter] += 1
    if any(counts.values()):
        logger.info("Weekly digests for %s: %s", week, counts)
    return counts
