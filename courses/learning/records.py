"""What courses holds about a person, for the volunteer register's privacy and record registries.

Registered from `CoursesConfig.ready()`: the privacy provider exports and erases enrolments,
lesson progress, completions and the actions the offline app sent from a phone; the record section
shows staff a volunteer's progress. Quiz attempts and results are the quizzes room's
(`courses.quizzes.records`).
"""

from django.utils.translation import gettext_lazy as _

from courses.learning.models import (
    CourseCompletion,
    CourseRun,
    Enrollment,
    LessonProgress,
    RunWaitlistEntry,
    SyncedAction,
)
from courses.learning.runs import run_waitlist_advance
from volunteers.privacy import PrivacyProvider, register_privacy_provider
from volunteers.records import (
    RecordAction,
    RecordSection,
    bulk_action_url,
    register_record_action,
    register_record_section,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_learning(user) -> dict:
    return {
        "enrolments": [
            {
                "course": enrolment.course.title,
                "enrolled_at": _iso(enrolment.enrolled_at),
                "how": enrolment.source,
                "last_reminded_at": _iso(enrolment.reminded_at),
                "run": enrolment.run.name if enrolment.run else None,
                "deadline_extended_to": _iso(enrolment.deadline_extended_to),
            }
            for enrolment in Enrollment.objects.filter(volunteer=user)
            .select_related("course", "run")
            .order_by("enrolled_at")
        ],
        "lessons_done": [
            {"lesson": progress.lesson.title, "done_at": _iso(progress.completed_at)}
            for progress in LessonProgress.objects.filter(volunteer=user)
            .select_related("lesson")
            .order_by("completed_at")
        ],
        "waiting_lists": [
            {"course": entry.run.course.title, "run": entry.run.name, "since": _iso(entry.created_at)}
            for entry in RunWaitlistEntry.objects.filter(volunteer=user)
            .select_related("run__course")
            .order_by("created_at")
        ],
        "courses_completed": [
            {"course": completion.course.title, "completed_at": _iso(completion.completed_at)}
            for completion in CourseCompletion.objects.filter(volunteer=user)
            .select_related("course")
            .order_by("completed_at")
        ],
        # What the offline app sent (a lesson done, a quiz submitted) and how it was answered.
        "sent_from_a_phone": [
            {
                "kind": action.kind,
                "received_at": _iso(action.created_at),
                "outcome": action.outcome,
                "reason_refused": action.message,
            }
            for action in SyncedAction.objects.filter(volunteer=user).order_by("created_at", "pk")
        ],
    }


def erase_learning(user, identifiers: list[str]) -> None:
    # Enrolments and progress go with the person. Completions stay (certificates and staff reports
    # rest on them) and point at the account, which erasure anonymises. Staff who enrolled others
    # keep those enrolments, without the link to the erased account.
    # The seats their enrolments held go to the runs' waiting lists, in order.
    freed = list(CourseRun.objects.filter(enrollments__volunteer=user))
    LessonProgress.objects.filter(volunteer=user).delete()
    SyncedAction.objects.filter(volunteer=user).delete()
    RunWaitlistEntry.objects.filter(volunteer=user).delete()
    Enrollment.objects.filter(volunteer=user).delete()
    Enrollment.objects.filter(enrolled_by=user).update(enrolled_by=None)
    for run in freed:
        run_waitlist_advance(run=run)


def _progress_section(profile) -> dict:
    from courses.learning.selectors import volunteer_course_progress

    return {"outlines": volunteer_course_progress(user=profile.user)}


def register_learning_providers() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="learning",
            models=(Enrollment, LessonProgress, CourseCompletion, RunWaitlistEntry, SyncedAction),
            export=export_learning,
            erase=erase_learning,
            order=300,
        )
    )
    register_record_section(
        RecordSection(
            key="learning",
            label=_("Enrolments and progress"),
            template_name="courses/admin/record_learning.html",
            get_context=_progress_section,
            order=30,
        )
    )


def register_record_actions() -> None:
    from courses.learning.admin_views import ENROL_PERMISSION

    register_record_action(
        RecordAction(
            key="enrol_in_course",
            label=_("Enrol in a course"),
            url=lambda profile, next_url: bulk_action_url("enrol_in_course", profile, next_url),
            shown=lambda user, profile: profile.erased_at is None and user.has_perm(ENROL_PERMISSION),
            icon="plus",
            order=30,
        )
    )
