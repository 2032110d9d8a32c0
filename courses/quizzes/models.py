"""Quizzes: the quiz page trainers author, and the attempts and best results of volunteers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from courses.authoring.models import SYNCHRONIZED_SLUG
from courses.authoring.page_mixins import LearningPageMixin
from courses.authoring.search import index_text
from courses.quizzes.blocks import QuizQuestionsBlock, drawing_locale, page_locale, question_count


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    LAST = "last", _("Last attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class MultipleChoiceScoring(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    PARTIAL = "partial", _("Partial credit")


class OverdueHandling(models.TextChoices):
    GRADE = "grade", _("Grade the answers saved so far")
    ABANDON = "abandon", _("Close the attempt without a grade")


REVIEW_PARTS = ("score", "marks", "answers", "feedback")


def _review_field(moment: str, part: str, default: bool) -> models.BooleanField:
    labels = {
        "score": _("show the score"),
        "marks": _("show which answers were right"),
        "answers": _("show the correct answers"),
        "feedback": _("show the feedback"),
    }
    return models.BooleanField(labels[part], default=default)


class QuizPageForm(WagtailAdminPageForm):
    """The quiz's edit form: random draws are checked against the bank in the quiz's language."""

    def full_clean(self):
        with drawing_locale(page_locale(self.instance)):
            super().full_clean()


class QuizPage(LearningPageMixin, Page):
    """A quiz at the end of (or within) a module: questions as blocks and the rules of its attempts.

    Attempts snapshot the questions and rules when they start, so editing a quiz never changes a
    past score. Grading happens on the server only (courses/quizzes/grading.py).
    """

    route_select_related = ("locale",)  # starting an attempt records the language it was shown in

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grade that counts"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )
    multiple_choice_scoring = models.CharField(
        _("multiple choice scoring"),
        max_length=20,
        choices=MultipleChoiceScoring.choices,
        default=MultipleChoiceScoring.ALL_OR_NOTHING,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn per attempt"),
        default=0,
        help_text=_("Draw this many questions at random from the questions below; 0 uses them all."),
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=0,
        validators=[MaxValueValidator(600)],
        help_text=_("0 means none."),
    )
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace period (seconds)"),
        default=60,
        validators=[MaxValueValidator(600)],
        help_text=_("Answers submitted this long after the time limit are still accepted."),
    )
    overdue_handling = models.CharField(
        _("when time runs out"), max_length=10, choices=OverdueHandling.choices, default=OverdueHandling.GRADE
    )
    wait_minutes = models.PositiveIntegerField(
        _("minimum wait between attempts (minutes)"), default=0, validators=[MaxValueValidator(60 * 24 * 30)]
    )
    review_after_score = _review_field("after", "score", True)
    review_after_marks = _review_field("after", "marks", True)
    review_after_answers = _review_field("after", "answers", False)
    review_after_feedback = _review_field("after", "feedback", True)
    review_later_score = _review_field("later", "score", True)
    review_later_marks = _review_field("later", "marks", True)
    review_later_answers = _review_field("later", "answers", True)
    review_later_feedback = _review_field("later", "feedback", True)

    # Questions are deliberately not indexed: their answer keys and feedback must stay private.
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("thai_search_text"),
    ]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("questions")]
    rules_panels = [
        FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts"), FieldPanel("grading_method")]),
        FieldPanel("multiple_choice_scoring"),
        FieldRowPanel(
            [FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices"), FieldPanel("draw_count")]
        ),
        FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
        FieldRowPanel([FieldPanel("overdue_handling"), FieldPanel("wait_minutes")]),
        MultiFieldPanel(
            [FieldPanel(f"review_after_{part}") for part in REVIEW_PARTS],
            heading=_("Review right after an attempt"),
        ),
        MultiFieldPanel(
            [FieldPanel(f"review_later_{part}") for part in REVIEW_PARTS],
            heading=_("Review once passed or out of attempts"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(rules_panels, heading=_("Rules")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings"), classname="settings"),
        ]
    )

    override_translatable_fields = SYNCHRONIZED_SLUG

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_percent"),
        ]

    base_form_class = QuizPageForm

    def clean(self):
        super().clean()
        if self.draw_count and self.draw_count > question_count(self.questions):
            raise ValidationError({"draw_count": _("There are fewer questions than the number to draw.")})

    def thai_search_text(self) -> str:
        # The title and introduction only: never the questions (see `search_fields`).
        return index_text(self.title, get_text_for_indexing(self.intro))

    def rules(self) -> dict:
        """The rules an attempt records when it starts."""
        return {
            "pass_mark": self.pass_mark,
            "max_attempts": self.max_attempts,
            "grading_method": self.grading_method,
            "multiple_choice_scoring": self.multiple_choice_scoring,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_choices": self.shuffle_choices,
            "draw_count": self.draw_count,
            "time_limit_minutes": self.time_limit_minutes,
            "grace_seconds": self.grace_seconds,
            "overdue_handling": self.overdue_handling,
            "wait_minutes": self.wait_minutes,
        }

    def review_options(self, moment: str) -> dict[str, bool]:
        return {part: getattr(self, f"review_{moment}_{part}") for part in REVIEW_PARTS}

    def serve(self, request, *args, **kwargs):
        from courses.quizzes.views import quiz_serve

        return quiz_serve(self, request, *args, **kwargs)

    @property
    def preview_modes(self):
        return [("", _("Answering the questions")), ("start", _("Before the first attempt"))]

    def serve_preview(self, request, mode_name):
        # Wagtail previews through get_context, never serve(): the quiz view builds the preview.
        from courses.quizzes.views import quiz_preview

        return quiz_preview(self, request, mode_name)


class QuizAttempt(models.Model):
    """One attempt at a quiz (the default-locale page): what was shown, answered and graded.

    `questions` is the snapshot taken at the start, in the order shown, with the answer key; after
    grading each entry also holds the answer, its correctness and the points. `token` comes from
    the form that started the attempt, so a repeated or concurrent start makes one attempt.
    """

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("quiz attempt", "In progress")
        FINISHED = "finished", _("Finished")
        ABANDONED = "abandoned", _("Closed without a grade")

    token = models.UUIDField(_("token"), unique=True, editable=False)
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("time limit"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rules = models.JSONField(_("rules in force"), default=dict)
    questions = models.JSONField(_("questions as shown"), default=list)
    answers = models.JSONField(_("saved answers"), default=dict)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The run of the volunteer's enrolment when the attempt started: attempt limits count per run.
    run = models.ForeignKey(
        "courses.CourseRun",
        verbose_name=_("run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_attempts",
    )

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz", "volunteer", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "quiz", "number"], name="unique_quiz_attempt_number"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "quiz"],
                condition=models.Q(state="in_progress"),
                name="one_quiz_attempt_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="quiz_attempt_score_percent",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.quiz_id} · {self.number}"


class QuizResult(models.Model):
    """A volunteer's standing on a quiz: the grade that counts under its grading method."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="quiz_results",
    )
    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="results"
    )
    grade = models.DecimalField(_("grade (%)"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"), default=False)
    first_passed_at = models.DateTimeField(_("first passed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz result")
        verbose_name_plural = _("quiz results")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "quiz"], name="unique_quiz_result"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.quiz_id}"
