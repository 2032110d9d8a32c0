"""Quiz question blocks: single and multiple choice, true/false, short answer and matching, each
with its points and feedback. Answer keys live in these values and never reach a page before the
attempt is submitted (see `courses.quizzes.grading`).
"""

import contextlib
import contextvars

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

# --- Quiz questions -------------------------------------------------------------------------------
# What decides a grade (which choice is right, accepted answers, pairs) and the feedback are kept
# out of the search index (`search_index=False`), so catalog search cannot reveal them.


def _points_block():
    return blocks.DecimalBlock(label=_("Points"), min_value=0, max_value=100, decimal_places=2, default=1)


def _feedback_block():
    return blocks.TextBlock(
        label=_("Feedback"),
        required=False,
        max_length=1000,
        search_index=False,
        help_text=_("Shown after the attempt when the quiz's review options allow it."),
    )


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Choice"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("Feedback for this choice"), required=False, max_length=500, search_index=False
    )

    class Meta:
        icon = "radio-full"
        label = _("Choice")


class _ChoiceQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"), max_length=1000)
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2, max_num=12)
    points = _points_block()
    feedback = _feedback_block()

    def correct_count(self, value) -> int:
        return sum(1 for choice in value["choices"] if choice["correct"])


class SingleChoiceQuestionBlock(_ChoiceQuestionBlock):
    def clean(self, value):
        value = super().clean(value)
        if self.correct_count(value) != 1:
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one choice as correct."))}
            )
        return value

    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceQuestionBlock(_ChoiceQuestionBlock):
    def clean(self, value):
        value = super().clean(value)
        if self.correct_count(value) < 1:
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one choice as correct."))}
            )
        return value

    class Meta:
        icon = "tasks"
        label = _("Multiple choice (select all that apply)")


class TrueFalseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Statement"), max_length=1000)
    answer = blocks.ChoiceBlock(
        label=_("The statement is"),
        choices=[("true", _("True")), ("false", _("False"))],
        default="true",
        search_index=False,
    )
    points = _points_block()
    feedback = _feedback_block()

    class Meta:
        icon = "tick"
        label = _("True or false")


class ShortAnswerQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"), max_length=1000)
    accepted = blocks.ListBlock(
        blocks.CharBlock(label=_("Accepted answer"), max_length=200, search_index=False),
        label=_("Accepted answers"),
        min_num=1,
        max_num=20,
        help_text=_("Case, extra spaces and Thai or Arabic digits are ignored when comparing."),
    )
    points = _points_block()
    feedback = _feedback_block()

    class Meta:
        icon = "pilcrow"
        label = _("Short answer")


class MatchingPairBlock(blocks.StructBlock):
    item = blocks.CharBlock(label=_("Item"), max_length=200)
    match = blocks.CharBlock(label=_("Its match"), max_length=200, search_index=False)

    class Meta:
        icon = "link"
        label = _("Pair")


class MatchingQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"), max_length=1000)
    pairs = blocks.ListBlock(MatchingPairBlock(), label=_("Pairs"), min_num=2, max_num=10)
    points = _points_block()
    feedback = _feedback_block()

    def clean(self, value):
        value = super().clean(value)
        matches = [pair["match"].strip() for pair in value["pairs"]]
        if len(set(matches)) != len(matches):
            raise blocks.StructBlockValidationError(
                block_errors={"pairs": ValidationError(_("Each match must be different."))}
            )
        return value

    class Meta:
        icon = "list-ul"
        label = _("Matching")


# The five question types, by the name a quiz stream and a bank question give each.
QUESTION_BLOCKS = {
    "single_choice": SingleChoiceQuestionBlock,
    "multiple_choice": MultipleChoiceQuestionBlock,
    "true_false": TrueFalseQuestionBlock,
    "short_answer": ShortAnswerQuestionBlock,
    "matching": MatchingQuestionBlock,
}


class BankQuestionStreamBlock(blocks.StreamBlock):
    """A bank question: exactly one question of one of the five types."""

    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    short_answer = ShortAnswerQuestionBlock()
    matching = MatchingQuestionBlock()

    class Meta:
        min_num = 1
        max_num = 1


# --- Questions from the bank ------------------------------------------------------------------------

BANK_DRAW_MAX = 50


def bank_tag_choices():
    """The tags bank questions carry, for the random draw's tag menu and the bank's tag filter
    (called when the form is built, so a tag added to the bank appears without a deploy). Each is
    labelled with how many questions it holds in each language, since a quiz draws only questions
    in its own: "safety (6 Thai, 2 English)"."""
    from django.db.models import Count
    from django.utils.translation import get_language_info

    from courses.quizzes.bank import BankQuestionTag

    counts: dict[str, list[str]] = {}
    rows = (
        BankQuestionTag.objects.values_list("tag__name", "content_object__locale__language_code")
        .annotate(questions=Count("content_object", distinct=True))
        .order_by("tag__name", "content_object__locale__language_code")
    )
    for name, language, questions in rows:
        counts.setdefault(name, []).append(f"{questions} {get_language_info(language)['name_translated']}")
    return [(name, f"{name} ({', '.join(languages)})") for name, languages in counts.items()]


# The language of the quiz being validated: a block knows nothing of its page, so the quiz's form
# and full_clean say it while they validate (`drawing_locale`); the default locale otherwise.
_drawing_locale: contextvars.ContextVar = contextvars.ContextVar("bank_drawing_locale", default=None)


@contextlib.contextmanager
def drawing_locale(locale):
    """Validate random draws against the bank questions in `locale` (None: the default locale)."""
    token = _drawing_locale.set(locale)
    try:
        yield
    finally:
        _drawing_locale.reset(token)


def page_locale(page):
    """A quiz page's locale; a page placed in the tree without one yet gets its parent's, as Wagtail
    gives it when saving; None for a page not placed yet (the default locale then)."""
    if page.locale_id:
        return page.locale
    return page.get_default_locale() if page.depth else None


def bank_tag_size(tag: str, locale=None) -> int:
    """How many bank questions in `locale` (the default locale when None) carry the tag."""
    from wagtail.models import Locale

    from courses.quizzes.bank import BankQuestion

    locale = locale or Locale.get_default()
    return BankQuestion.objects.filter(tags__name=tag, locale=locale).distinct().count()


class BankDrawBlock(blocks.StructBlock):
    """N questions drawn at random from a tag of the bank, a new draw for every attempt."""

    tag = blocks.ChoiceBlock(label=_("Tag"), choices=bank_tag_choices)
    count = blocks.IntegerBlock(
        label=_("Number of questions"), min_value=1, max_value=BANK_DRAW_MAX, default=5
    )

    def clean(self, value):
        value = super().clean(value)
        available = bank_tag_size(value["tag"], _drawing_locale.get())
        if available < value["count"]:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "count": ValidationError(
                        ngettext(
                            "The bank has only %(available)s question with this tag.",
                            "The bank has only %(available)s questions with this tag.",
                            available,
                        )
                        % {"available": available}
                    )
                }
            )
        return value

    class Meta:
        icon = "resubmit"
        label = _("Random questions from the bank")


class QuizQuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
    short_answer = ShortAnswerQuestionBlock()
    matching = MatchingQuestionBlock()
    # One question from the bank, always the same, as the bank holds it when an attempt starts.
    bank_question = SnippetChooserBlock(
        "courses.BankQuestion", label=_("Question from the bank"), icon="snippet"
    )
    bank_draw = BankDrawBlock()

    class Meta:
        min_num = 1


def question_count(stream) -> int:
    """How many questions a quiz stream shows at most: a random draw counts its N."""
    return sum(block.value["count"] if block.block_type == "bank_draw" else 1 for block in stream)
