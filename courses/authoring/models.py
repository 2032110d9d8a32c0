"""Courses as Wagtail pages: the catalog, courses, their modules and lessons; and help lines.

Trainers build the tree CourseIndexPage > CoursePage > ModulePage > LessonPage in the admin;
staff keep the help lines that lessons show to volunteers. The quiz page is in
`courses.quizzes.models`; what volunteers do with courses in `courses.learning.models`.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index
from wagtail_localize.fields import BaseTranslatableField, SynchronizedField

from courses.authoring.blocks import LessonBodyBlock
from courses.authoring.page_mixins import LearningPageMixin, TranslationFallbackMixin
from courses.authoring.search import index_text
from training.dates import end_of_day_months_later, issuer_zone


class CompletionRule(models.TextChoices):
    REQUIRED_LESSONS_AND_QUIZZES = (
        "required_lessons_and_quizzes",
        _("All required lessons done and all quizzes passed"),
    )
    ALL_LESSONS_AND_QUIZZES = "all_lessons_and_quizzes", _("All lessons done and all quizzes passed")


class SummaryMixin(models.Model):
    """A short plain-text summary shown in listings, with its own panel."""

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in listings.")
    )

    summary_panels = [FieldPanel("summary")]

    class Meta:
        abstract = True


SYNCHRONIZED_SLUG = [SynchronizedField("slug", overridable=False)]
# Topics are words, so each language keeps its own: neither synced from the source nor translated
# string by string (a translation starts with the source's topics).
PER_LANGUAGE_TAGS = BaseTranslatableField("tagged_items")


class CourseIndexPage(TranslationFallbackMixin, Page):
    """The catalog: one per site and language, listing the live public courses below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    override_translatable_fields = SYNCHRONIZED_SLUG

    parent_page_types = ["training.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        from courses.authoring.selectors import (
            ItemMatches,
            catalog_courses,
            catalog_search_results,
            catalog_tags,
        )

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100]
        query = request.GET.get("q", "").strip()[:200]
        matches = ItemMatches(query)
        results = catalog_search_results(
            index_page=self, matches=matches, request=request, tag=tag, page_number=request.GET.get("page")
        )
        context["results"] = results
        # Later pages of results list lessons and quizzes only: the courses are on the first.
        show_courses = results is None or results.number == 1
        context["courses"] = (
            catalog_courses(index_page=self, tag=tag, query=query, matches=matches) if show_courses else []
        )
        context["tags"] = catalog_tags(index_page=self)
        context["active_tag"] = tag
        context["query"] = query
        return context


class CoursePageTag(TaggedItemBase):
    content_object = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="tagged_items")


class CoursePage(LearningPageMixin, Page, SummaryMixin):  # noqa: DJ008 (Page defines __str__)
    """A course: what it covers, who it is for, how long it takes and what completing it means."""

    description = RichTextField(
        _("description"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("cover image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the cover image for people who cannot see it. Required with a cover image."),
    )
    tags = ClusterTaggableManager(through=CoursePageTag, blank=True, verbose_name=_("topics"))
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=4,
        decimal_places=1,
        default=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(200)],
    )
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Courses a volunteer should complete first."),
    )
    issues_certificate = models.BooleanField(_("completion issues a certificate"), default=True)
    required_for_registration = models.BooleanField(
        _("required before registration as a volunteer"),
        default=False,
        help_text=_("Staff can register an applicant as a volunteer only after this course is completed."),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "How many months a certificate of this course stays valid: it is valid through the same "
            "day that many months after it was issued (Bangkok time). Leave empty for a certificate "
            "that never expires."
        ),
    )
    refresher_course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("refresher course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "A shorter course whose completion renews the certificate of this course: the volunteer "
            "gets a new certificate of this course, and the old one is marked as renewed."
        ),
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=40,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED_LESSONS_AND_QUIZZES,
    )
    evaluation_required = models.BooleanField(
        _("evaluation required before the certificate"),
        default=False,
        help_text=_(
            "Volunteers who meet the completion rule fill in the evaluation; the course is completed, "
            "and its certificate issued, when they submit it. Their answers are kept anonymous."
        ),
    )
    # Named by its label: the form is the evaluations room's, which authoring never imports.
    evaluation_form = models.ForeignKey(
        "courses.EvaluationForm",
        verbose_name=_("evaluation form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to use the ministry-wide default form."),
    )
    live_sessions_required = models.PositiveSmallIntegerField(
        _("live sessions to attend"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "How many live sessions of their run a volunteer must attend (as the trainer records it) "
            "before the course is completed. 0: attendance is not required."
        ),
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind after days of inactivity"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "A volunteer enrolled in this course who has done nothing in it for this many days gets "
            "one reminder by email and in the notification centre. 0: never remind."
        ),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("audience"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.SearchField("thai_search_text"),
    ]

    content_panels = (
        Page.content_panels
        + SummaryMixin.summary_panels
        + [
            FieldPanel("description"),
            MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("Cover")),
            FieldPanel("tags"),
            FieldRowPanel([FieldPanel("estimated_hours"), FieldPanel("audience")]),
            FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            MultiFieldPanel(
                [
                    FieldPanel("completion_rule"),
                    FieldPanel("issues_certificate"),
                    FieldPanel("required_for_registration"),
                    FieldPanel("evaluation_required"),
                    FieldPanel("evaluation_form"),
                    FieldPanel("live_sessions_required"),
                ],
                heading=_("Completion"),
            ),
            MultiFieldPanel(
                [FieldPanel("certificate_valid_months"), FieldPanel("refresher_course")],
                heading=_("Certificate validity and renewal"),
            ),
        ]
    )

    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel([FieldPanel("remind_after_days")], heading=_("Reminders")),
    ]

    override_translatable_fields = [*SYNCHRONIZED_SLUG, PER_LANGUAGE_TAGS]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    route_select_related = ("cover_image",)

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_hours__gt=0), name="course_estimated_hours_positive"
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        from courses.authoring.selectors import course_details
        from courses.learning.outlines import course_learning_outline

        context = super().get_context(request, *args, **kwargs)
        context["untranslated_language"] = self.untranslated_language(request)
        outline = course_learning_outline(course=self, user=request.user, request=request)
        context["outline"] = outline
        context["modules"] = outline.modules
        context["details"] = course_details(course=self, request=request)
        # The catalog is the parent: its address, without a query for the page itself.
        context["catalog_url"] = (outline.url or "/").rstrip("/").rsplit("/", 1)[0] + "/"
        return context

    def certificate_valid_until(self, issued_at: datetime.datetime) -> datetime.datetime | None:
        """When a certificate of this course issued at `issued_at` stops being valid; None: never."""
        if not self.certificate_valid_months:
            return None
        return end_of_day_months_later(issued_at, self.certificate_valid_months, issuer_zone())

    def thai_search_text(self) -> str:
        return index_text(
            self.title,
            self.summary,
            get_text_for_indexing(self.description),
            self.audience,
            " ".join(tag.name for tag in self.tags.all()),
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.cover_image_id and not self.cover_alt.strip():
            errors["cover_alt"] = _("Describe the cover image for people who cannot see it.")
        if self.pk and any(course.pk == self.pk for course in self.prerequisites.all()):
            errors["prerequisites"] = _("A course cannot be its own prerequisite.")
        if self.pk and self.refresher_course_id == self.pk:
            errors["refresher_course"] = _("A course cannot be its own refresher course.")
        if errors:
            raise ValidationError(errors)


class ModulePage(LearningPageMixin, Page, SummaryMixin):  # noqa: DJ008 (Page defines __str__)
    """A module groups the lessons of a course; its place among its siblings is its order."""

    search_fields = Page.search_fields + [index.SearchField("summary")]

    content_panels = Page.content_panels + SummaryMixin.summary_panels

    override_translatable_fields = SYNCHRONIZED_SLUG

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage", "courses.QuizPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from courses.learning.outlines import course_learning_outline, outline_module

        context = super().get_context(request, *args, **kwargs)
        context["untranslated_language"] = self.untranslated_language(request)
        # The same outline the course page shows, so lessons, quizzes and their states agree.
        outline = course_learning_outline(module=self, user=request.user, request=request)
        context["outline"] = outline
        context["module_outline"] = outline_module(outline=outline, module=self)
        return context


class LessonPage(LearningPageMixin, Page):
    """One lesson: a body of content blocks, how long it takes, and whether it is sensitive."""

    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    is_required = models.BooleanField(
        _("required"), default=True, help_text=_("Required lessons count towards completing the course.")
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "For topics such as domestic violence or mental health: the lesson opens with a content "
            "note and shows a quick exit button."
        ),
    )
    content_note = models.TextField(
        _("content note"),
        blank=True,
        max_length=600,
        help_text=_("What the reader should know before reading. A general note is shown when empty."),
    )
    # Optional, unlike a course's or a module's: lessons written before it existed have none.
    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=500,
        help_text=_(
            "One or two sentences shown in search results and to readers who have not enrolled in the "
            "course yet."
        ),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("thai_search_text"),
        index.FilterField("is_required"),
    ]

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("is_required")]),
        MultiFieldPanel(
            [FieldPanel("is_sensitive"), FieldPanel("content_note")], heading=_("Sensitive topic")
        ),
        FieldPanel("body"),
    ]

    override_translatable_fields = SYNCHRONIZED_SLUG

    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_minutes__gte=1), name="lesson_estimated_minutes_positive"
            ),
        ]

    def get_context(self, request, *args, **kwargs):
        from courses.learning.outlines import course_learning_outline, lesson_place
        from volunteers.two_factor import two_factor_redirect

        context = super().get_context(request, *args, **kwargs)
        context["untranslated_language"] = self.untranslated_language(request)
        outline = course_learning_outline(lesson=self, user=request.user, request=request)
        context["outline"] = outline
        context["place"] = lesson_place(outline=outline, lesson=self)
        context["previous_lesson"] = context["place"].previous_page
        # Trainers previewing, and people who work in the admin, read lessons without enrolling.
        context["show_content"] = (
            outline.is_enrolled
            or getattr(request, "is_preview", False)
            or (bool(request.session.get("admin_access")) and two_factor_redirect(request) is None)
        )
        context["next_lesson"] = context["place"].next_page
        context["quick_exit_url"] = settings.QUICK_EXIT_URL
        return context

    def thai_search_text(self) -> str:
        return index_text(self.title, self.summary, *self.body.stream_block.get_searchable_content(self.body))


country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Enter a two-letter ISO 3166 country code in capitals, such as NO.")
)


class HelpLine(models.Model):
    """A help line that volunteers pass on to people in crisis, kept up to date by staff."""

    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[country_code_validator],
        help_text=_("Two-letter ISO 3166 code, such as NO for Norway or TH for Thailand."),
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50)
    hours = models.CharField(_("hours"), max_length=200, help_text=_("For example: every day, 24 hours."))
    languages = models.CharField(_("languages"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("sort_order")]),
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("hours")]),
        FieldPanel("languages"),
    ]

    class Meta:
        verbose_name = _("help line")
        verbose_name_plural = _("help lines")
        ordering = ["country", "sort_order", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["country", "organisation", "phone"], name="unique_help_line"),
            models.CheckConstraint(
                condition=models.Q(country__regex=r"^[A-Z]{2}$"), name="help_line_country_code"
            ),
        ]

    def __str__(self):
        return f"{self.country} · {self.organisation} · {self.phone}"

    @property
    def tel_href(self) -> str:
        """The number as a tel: link target (digits and a leading plus only)."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}"
