"""What volunteers do with courses: enrolments, lesson progress and course completions.

They always point at the default-locale (Thai) pages, whichever language the volunteer reads.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.authoring.models import CoursePage, LessonPage


class Enrollment(models.Model):
    """A volunteer's enrolment in a course (the default-locale course page)."""

    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        STAFF = "staff", _("Enrolled by staff")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="course_enrollments",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the volunteer was last reminded to continue (courses.learning.reminders): one reminder
    # per stretch of inactivity, until they do something in the course again.
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course"], name="unique_enrollment"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.course_id}"


class LessonProgress(models.Model):
    """A lesson a volunteer marked as done (the default-locale lesson page); recorded once."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "lesson"], name="unique_lesson_progress"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.lesson_id}"


class CourseCompletion(models.Model):
    """The moment a volunteer completed a course; recorded once and never undone by content changes."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course"], name="unique_course_completion"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.course_id}"
