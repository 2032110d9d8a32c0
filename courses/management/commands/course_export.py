"""`manage.py course_export <slug>`: write a course to a package (docs/course-packages.md)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.authoring.models import CoursePage
from courses.transfer.export import ExportError, course_export


class Command(BaseCommand):
    help = "Write a course, its translations and its media to a zip package."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The course's address (slug) in the site's default language.")
        parser.add_argument(
            "-o", "--output", help="Where to write the zip (default: <slug>.zip; - for stdout)."
        )

    def handle(self, *args, slug, output=None, **options):
        course = CoursePage.objects.filter(slug=slug, locale__language_code=settings.LANGUAGE_CODE).first()
        if course is None:
            raise CommandError(f"No course with the address {slug!r}.")
        output = output or f"{slug}.zip"
        try:
            if output == "-":
                course_export(course, sys.stdout.buffer)
            else:
                with open(output, "wb") as out:
                    course_export(course, out)
        except ExportError as error:
            raise CommandError(str(error)) from error
        if output != "-":
            self.stdout.write(f"Wrote {output}")
