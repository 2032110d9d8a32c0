"""Evaluation forms, anonymous answers and the separate marks that say who has evaluated a course.

An answer holds no person, enrolment or moment finer than a month, and its key is a random UUID,
so it cannot be tied to a "done" mark by id or by the order rows were made (docs/evaluation.md).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from courses.authoring.models import CoursePage
from courses.evaluations.blocks import EvaluationQuestionsBlock


class EvaluationForm(models.Model):
    """A form of questions volunteers answer at the end of a course; one is the ministry's default."""

    name_th = models.CharField(_("name in Thai"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    intro_th = models.TextField(_("introduction in Thai"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    questions = StreamField(EvaluationQuestionsBlock(), verbose_name=_("questions"))
    is_default = models.BooleanField(
        _("ministry-wide default"),
        default=False,
        help_text=_("Courses that require an evaluation and name no form use this one."),
    )
    # Each save is a new version; answers record the version they were given to.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("name_th"), FieldPanel("name_en")]), FieldPanel("is_default")],
            heading=_("Name"),
        ),
        FieldRowPanel([FieldPanel("intro_th"), FieldPanel("intro_en")]),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = _("evaluation form")
        verbose_name_plural = _("evaluation forms")
        ordering = ["-is_default", "name_th"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default_evaluation_form"
            ),
        ]

    def __str__(self):
        return self.name_th

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_th

    def intro(self, language: str) -> str:
        return self.intro_en if language.startswith("en") and self.intro_en else self.intro_th


class EvaluationAnswer(models.Model):
    """One volunteer's answers to a course's evaluation, kept apart from who gave them.

    No user, no enrolment, no moment but the month (its first day); the country is the coarse
    one from the volunteer's profile. `answers` maps each question's block id to the answer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    form = models.ForeignKey(
        EvaluationForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="answers"
    )
    form_version = models.PositiveIntegerField(_("form version"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    month = models.DateField(_("month"))
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        indexes = [models.Index(fields=["course", "month"], name="evaluation_answer_course_month")]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="evaluation_answer_month_only"),
        ]

    def __str__(self):
        return f"{self.course_id} · {self.month:%Y-%m}"


class EvaluationDone(models.Model):
    """That a volunteer has evaluated a course: no link to the answer, no moment."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="evaluations_done",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="evaluations_done"
    )

    class Meta:
        verbose_name = _("evaluation done")
        verbose_name_plural = _("evaluations done")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course"], name="one_evaluation_per_course"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.course_id}"
