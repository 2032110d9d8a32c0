from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses as Wagtail pages, enrolment, lesson progress and quizzes."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        import datetime

        from courses.translation import localize_labels

        localize_labels.install()

        from courses.authoring import renditions

        renditions.install()

        from wagtail.signals import copy_for_translation_done, page_published

        from courses.authoring.structure import outline_item_register
        from courses.evaluations.privacy import register_evaluation_privacy_provider
        from courses.evaluations.services import evaluation_gate
        from courses.learning import notices as learning_notices
        from courses.learning import reminders
        from courses.learning import requirements as registration_requirements
        from courses.learning.completion import register_completion_gate
        from courses.learning.members import register_member_columns
        from courses.learning.outlines import progress_source_register
        from courses.learning.records import register_learning_providers, register_record_actions
        from courses.learning.tasks import (
            course_reminders_task,
            run_deadline_reminders_task,
            synced_actions_prune_task,
        )
        from courses.live import notices as live_notices
        from courses.live.privacy import register_live_privacy_provider
        from courses.live.tasks import live_session_reminders_task
        from courses.quizzes.models import QuizAttempt, QuizPage, QuizResult
        from courses.quizzes.records import register_quiz_providers
        from courses.quizzes.sync import register_quiz_sync
        from courses.reports import digests
        from courses.reports.tasks import weekly_digests_task
        from courses.translation import services
        from courses.translation.privacy import register_translation_privacy_provider
        from training.scheduler import job_register

        # Quizzes are items of a module's outline, and a reader's quiz results their state there.
        outline_item_register(QuizPage, "quiz")
        progress_source_register("quiz", QuizResult, "quiz", passed="passed")
        register_learning_providers()
        register_member_columns()
        register_quiz_providers()
        # Quizzes submitted offline reach the offline app's sync endpoint (courses.learning.sync).
        register_quiz_sync()
        register_translation_privacy_provider()
        from courses.quizzes.bank_privacy import register_bank_privacy_provider

        register_bank_privacy_provider()
        # A course that asks for an evaluation completes (and certifies) once it is given.
        register_completion_gate("evaluation", evaluation_gate)
        # A course that asks for live sessions completes once enough are attended.
        from courses.live.attendance import attendance_gate

        register_completion_gate("attendance", attendance_gate)
        register_evaluation_privacy_provider()
        register_live_privacy_provider()
        register_record_actions()
        registration_requirements.register()
        learning_notices.register()
        # Reminders: starting or finishing a quiz attempt is activity in its course too.
        reminders.register()
        reminders.activity_source_register(QuizAttempt, "quiz", "started_at")
        reminders.activity_source_register(QuizAttempt, "quiz", "finished_at")
        # Hourly, five minutes past: quiet hours end on the hour in every time zone, so a reminder
        # held back by them goes within the hour after they end (a daily run would hold it a day,
        # or for ever for someone whose quiet hours cover the run's hour).
        job_register(
            "course_reminders",
            course_reminders_task,
            every=datetime.timedelta(hours=1),
            offset=datetime.timedelta(minutes=5),
            catch_up=False,
        )
        # A week before a run's deadline (or an extension), those who have not completed are told.
        job_register(
            "run_deadline_reminders",
            run_deadline_reminders_task,
            every=datetime.timedelta(hours=1),
            offset=datetime.timedelta(minutes=20),
            catch_up=False,
        )
        # The offline app's sync records, past the time a resend can come: daily, 03:40 Bangkok time.
        job_register(
            "synced_actions_prune",
            synced_actions_prune_task,
            every=datetime.timedelta(days=1),
            offset=datetime.timedelta(hours=20, minutes=40),
        )
        # Live sessions: a reminder in the day before each, hourly (quiet hours end on the hour).
        live_notices.register()
        job_register(
            "live_session_reminders",
            live_session_reminders_task,
            every=datetime.timedelta(hours=1),
            offset=datetime.timedelta(minutes=15),
            catch_up=False,
        )
        # Weekly digests for trainers and staff: from Monday 08:00 Bangkok time, hourly for a day
        # so that each goes out after its reader's quiet hours; once per person and ISO week.
        digests.register()
        job_register(
            "weekly_digests",
            weekly_digests_task,
            every=datetime.timedelta(hours=1),
            offset=datetime.timedelta(minutes=10),
            catch_up=False,
        )
        copy_for_translation_done.connect(
            services.on_copy_for_translation, dispatch_uid="courses_catalog_rights"
        )
        page_published.connect(services.on_page_published, dispatch_uid="courses_tree_counts")
