"""The question bank: questions trainers keep once, tagged, and draw into quizzes (one chosen
question, or N at random from a tag).

A bank question holds exactly one question block of the same five types a quiz uses, so a bank
question is validated, snapshotted and graded by the same code as a question written in a quiz.
Attempts snapshot bank questions when they start: editing or deleting one later never changes an
attempt already started.
"""

from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from courses.authoring.search import index_text
from courses.quizzes.blocks import BankQuestionStreamBlock


class BankQuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.BankQuestion", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BankQuestion(TranslatableMixin, index.Indexed, ClusterableModel):
    """One question in the shared bank. Only the prompt is searchable: answer keys and feedback
    stay out of every index.

    Each question has a language (its locale), and its translations share its translation key, as
    pages do: a quiz in English draws English questions, and wagtail-localize translates them.
    """

    question = StreamField(BankQuestionStreamBlock(), verbose_name=_("question"))
    tags = ClusterTaggableManager(through=BankQuestionTag, blank=True, verbose_name=_("tags"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("question"), FieldPanel("tags")]
    search_fields = [
        index.SearchField("prompt"),
        index.SearchField("search_text"),
        index.FilterField("created_at"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("bank question")
        verbose_name_plural = _("question bank")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return Truncator(self.prompt()).chars(80) or str(_("(empty question)"))

    def prompt(self) -> str:
        block = self.question_block()
        return block.value["prompt"] if block is not None else ""

    prompt.short_description = _("question")  # type: ignore[attr-defined]

    def search_text(self) -> str:
        # The prompt only, with Thai words split as catalog search splits them.
        return index_text(self.prompt())

    def question_block(self):
        """The question's bound block (the stream holds one), or None for an empty stream."""
        return self.question[0] if len(self.question) else None

    def kind(self) -> str:
        block = self.question_block()
        return str(block.block.label) if block is not None else ""

    kind.short_description = _("type")  # type: ignore[attr-defined]

    def tag_names(self) -> str:
        return ", ".join(sorted(tag.name for tag in self.tags.all()))

    tag_names.short_description = _("tags")  # type: ignore[attr-defined]
