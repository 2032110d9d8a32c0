"""Courses as Wagtail pages: the catalog, courses, their modules and lessons; help lines; and
what volunteers do with them: enrolments, lesson progress and course completions.

Trainers build the tree CourseIndexPage > CoursePage > ModulePage > LessonPage in the admin;
staff keep the help lines that lessons show to volunteers. Enrolments, progress and completions
always point at the default-locale (Thai) pages, whichever language the volunteer reads.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from courses.search import index_text


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


def view_restriction_exists() -> Exists:
    """True when a view restriction sits on the outer page or any of its ancestors."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length(F("page__path"))),
            page__depth__lte=OuterRef("depth"),
        )
    )


class LearningPageMixin:
    """Course, module and lesson pages: view restrictions read once, and a 404 for signed-in readers
    a restriction keeps out (they see no login form for a page they may never read)."""

    route_select_related: tuple[str, ...] = ()

    @classmethod
    def route_queryset(cls):
        """What routing loads with the page: whether a view restriction applies, related rows."""
        return cls.objects.annotate(route_restricted=view_restriction_exists()).select_related(
            *cls.route_select_related
        )

    def get_view_restrictions(self):
        cached = getattr(self, "_view_restrictions", None)
        if cached is not None:
            return cached
        if getattr(self, "route_restricted", None) is False:
            restrictions = PageViewRestriction.objects.none()
        else:
            prefixes = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
            restrictions = PageViewRestriction.objects.filter(page__path__in=prefixes)
            list(restrictions)  # evaluate once; later iterations reuse the result
        self._view_restrictions = restrictions
        return restrictions

    def route(self, request, path_components):
        user = getattr(request, "user", None)
        if not path_components and user is not None and user.is_authenticated:
            for restriction in self.get_view_restrictions():
                if not restriction.accept_request(request):
                    raise Http404
        return super().route(request, path_components)


class CourseIndexPage(Page):
    """The catalog: one per site and language, listing the live public courses below it."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["training.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalog_courses, catalog_tags

        context = super().get_context(request, *args, **kwargs)
        tag = request.GET.get("tag", "").strip()[:100]
        query = request.GET.get("q", "").strip()[:200]
        context["courses"] = catalog_courses(index_page=self, tag=tag, query=query)
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
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=40,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED_LESSONS_AND_QUIZZES,
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
                ],
                heading=_("Completion"),
            ),
        ]
    )

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
        from courses.selectors import course_learning_outline, prerequisite_courses

        context = super().get_context(request, *args, **kwargs)
        outline = course_learning_outline(course=self, user=request.user)
        context["outline"] = outline
        context["modules"] = outline.modules
        context["prerequisite_courses"] = prerequisite_courses(course=self)
        # The catalog is the parent: its address, without a query for the page itself.
        context["catalog_url"] = (self.get_url(request) or "/").rstrip("/").rsplit("/", 1)[0] + "/"
        return context

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
        if errors:
            raise ValidationError(errors)


class ModulePage(LearningPageMixin, Page, SummaryMixin):  # noqa: DJ008 (Page defines __str__)
    """A module groups the lessons of a course; its place among its siblings is its order."""

    search_fields = Page.search_fields + [index.SearchField("summary")]

    content_panels = Page.content_panels + SummaryMixin.summary_panels

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import module_lessons

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = module_lessons(module=self)
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
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    search_fields = Page.search_fields + [
        index.SearchField("body"),
        index.SearchField("thai_search_text"),
        index.FilterField("is_required"),
    ]

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("is_required")]),
        MultiFieldPanel(
            [FieldPanel("is_sensitive"), FieldPanel("content_note")], heading=_("Sensitive topic")
        ),
        FieldPanel("body"),
    ]

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
        from courses.selectors import course_learning_outline, lesson_place

        context = super().get_context(request, *args, **kwargs)
        outline = course_learning_outline(lesson=self, user=request.user)
        context["outline"] = outline
        context["place"] = lesson_place(outline=outline, lesson=self)
        context["previous_lesson"] = context["place"].previous_page
        # Trainers previewing, and people who work in the admin, read lessons without enrolling.
        context["show_content"] = (
            outline.is_enrolled
            or getattr(request, "is_preview", False)
            or bool(request.session.get("admin_access"))
        )
        context["next_lesson"] = context["place"].next_page
        context["quick_exit_url"] = settings.QUICK_EXIT_URL
        return context

    def thai_search_text(self) -> str:
        return index_text(self.title, *self.body.stream_block.get_searchable_content(self.body))


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
