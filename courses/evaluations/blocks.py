"""Evaluation question blocks: a rating scale from 1 to 5, single or multiple choice, and free text, each
worded in Thai and in English. Answers are kept by the block's id, so rewording a question keeps
its answers together; each option of a choice is kept by its own id for the same reason.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _question_fields():
    return {
        "question_th": blocks.TextBlock(label=_("Question in Thai"), max_length=500),
        "question_en": blocks.TextBlock(label=_("Question in English"), max_length=500),
        "required": blocks.BooleanBlock(label=_("An answer is required"), required=False, default=True),
    }


class RatingQuestionBlock(blocks.StructBlock):
    question_th = _question_fields()["question_th"]
    question_en = _question_fields()["question_en"]
    low_label_th = blocks.CharBlock(label=_("Meaning of 1 in Thai"), max_length=80)
    low_label_en = blocks.CharBlock(label=_("Meaning of 1 in English"), max_length=80)
    high_label_th = blocks.CharBlock(label=_("Meaning of 5 in Thai"), max_length=80)
    high_label_en = blocks.CharBlock(label=_("Meaning of 5 in English"), max_length=80)
    required = _question_fields()["required"]

    class Meta:
        icon = "pick"
        label = _("Rating from 1 to 5")


class OptionBlock(blocks.StructBlock):
    label_th = blocks.CharBlock(label=_("Option in Thai"), max_length=200)
    label_en = blocks.CharBlock(label=_("Option in English"), max_length=200)

    class Meta:
        icon = "radio-full"
        label = _("Option")


class ChoiceQuestionBlock(blocks.StructBlock):
    question_th = _question_fields()["question_th"]
    question_en = _question_fields()["question_en"]
    multiple = blocks.BooleanBlock(label=_("Several options may be chosen"), required=False, default=False)
    options = blocks.ListBlock(OptionBlock(), label=_("Options"), min_num=2, max_num=12)
    required = _question_fields()["required"]

    class Meta:
        icon = "list-ul"
        label = _("Choice")


class TextQuestionBlock(blocks.StructBlock):
    question_th = _question_fields()["question_th"]
    question_en = _question_fields()["question_en"]
    required = blocks.BooleanBlock(label=_("An answer is required"), required=False, default=False)

    class Meta:
        icon = "doc-full"
        label = _("Free text")


class EvaluationQuestionsBlock(blocks.StreamBlock):
    rating = RatingQuestionBlock()
    choice = ChoiceQuestionBlock()
    text = TextQuestionBlock()

    class Meta:
        min_num = 1
        max_num = 30
