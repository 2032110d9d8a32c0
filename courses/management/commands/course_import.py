"""`manage.py course_import <zip>`: load a course package as drafts (docs/course-packages.md)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.transfer.access import may_transfer_courses
from courses.transfer.format import PackageRefused
from courses.transfer.importer import course_import


class Command(BaseCommand):
    help = "Import a course package: new and changed pages become drafts submitted for review."

    def add_arguments(self, parser):
        parser.add_argument("package", help="The zip file written by course_export.")
        parser.add_argument(
            "--user",
            help="Email of the lead trainer or staff member the drafts are saved and submitted by. "
            "Without it the drafts are saved but not submitted for review.",
        )

    def handle(self, *args, package, user=None, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(email__iexact=user).first()
            if importer is None or not may_transfer_courses(importer):
                raise CommandError(f"{user} is not a lead trainer or staff member.")
        try:
            with open(package, "rb") as source:
                result = course_import(source, user=importer)
        except OSError as error:
            raise CommandError(str(error)) from error
        except PackageRefused as error:
            raise CommandError(f"Refused: {error}") from error
        for warning in result.warnings:
            self.stderr.write(str(warning))
        self.stdout.write(
            f"{result.course.title}: {len(result.created)} pages created, {len(result.changed)} changed, "
            f"{result.unchanged} unchanged, {result.submitted} submitted for review; "
            f"{len(result.bank_created)} bank questions created, {result.bank_reused} found here."
        )
