"""Create the demo site, content and accounts. Safe to run again: it converges, never duplicates."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from volunteers.demo import DEMO_ACCOUNTS, DEMO_EXTRA_LOGINS, DEMO_PASSWORD

# Each app seeds its own demo data through its real services, in dependency order.
# The demo's side work (search and reference indexes, certificate PDFs) runs as it is created, so
# the site is whole when it opens instead of after the worker has worked through 600 tasks.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SEEDERS = [
    "training.demo.seed_site",
    "volunteers.demo.seed_demo_accounts",
    "volunteers.demo.seed_volunteer_register",
    "courses.demo.courses.seed_courses",
    "courses.demo.learning.seed_learning",
    "courses.demo.quizzes.seed_quiz_attempts",
    "courses.demo.quizzes.seed_question_bank",
    "courses.demo.notices.seed_course_reminder",
    "certificates.demo.seed_certificates",
    "courses.demo.reports.seed_report_data",
    "courses.demo.reports.seed_quiz_results",
    "courses.demo.runs.seed_runs",
    "courses.demo.live.seed_live_sessions",
    "courses.demo.evaluations.seed_evaluations",
    "courses.demo.review.seed_course_review",
    "courses.demo.notices.seed_weekly_digests",
    "notifications.demo.seed_undelivered_mail",
    "notifications.demo.seed_notifications",
    "volunteers.demo.seed_organisation_leaders",
]


class Command(BaseCommand):
    help = "Create the demo site, content and demo users (refused under production settings)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is not allowed with these settings (demo passwords are public).")
        with override_settings(TASKS=IMMEDIATE_TASKS):
            for path in SEEDERS:
                import_string(path)()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins (the same password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<16} {account.email}")
        for email, what in DEMO_EXTRA_LOGINS.items():
            self.stdout.write(f"  {email}  ({what})")
