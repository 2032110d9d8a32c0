"""The volunteer's evaluation form, built from an evaluation form's questions in the reader's
language (Thai unless they read English). Plain HTML controls, so it works without JavaScript;
`answers()` gives what `evaluation_submit` stores: each question's block id with its answer.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.evaluations.models import EvaluationForm

TEXT_MAX = 2000
RATINGS = (1, 2, 3, 4, 5)


def in_language(language: str, value: dict, field: str) -> str:
    english = value.get(f"{field}_en", "")
    return english if language.startswith("en") and english else value.get(f"{field}_th", "")


def option_choices(value: Any, language: str) -> list[tuple[str, str]]:
    """A choice question's options as (option block id, label in the language)."""
    return [
        (str(option.id), in_language(language, option.value, "label"))
        for option in value["options"].bound_blocks
    ]


class EvaluationAnswerForm(forms.Form):
    """One field per question, named by the question's block id."""

    def __init__(self, *args, evaluation: EvaluationForm, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.kinds: dict[str, str] = {}
        for block in evaluation.questions:
            value, key = block.value, f"q-{block.id}"
            label = in_language(language, value, "question")
            required = bool(value.get("required"))
            messages = {"required": _("Please answer this question.")}
            if block.block_type == "rating":
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(str(number), str(number)) for number in RATINGS],
                    coerce=int,
                    empty_value=None,
                    required=required,
                    widget=forms.RadioSelect,
                    error_messages={**messages, "invalid_choice": _("Choose a number from 1 to 5.")},
                )
                field.low_label = in_language(language, value, "low_label")
                field.high_label = in_language(language, value, "high_label")
            elif block.block_type == "choice":
                choices = option_choices(value, language)
                invalid = {"invalid_choice": _("Choose one of the options shown.")}
                if value.get("multiple"):
                    field = forms.MultipleChoiceField(
                        label=label,
                        choices=choices,
                        required=required,
                        widget=forms.CheckboxSelectMultiple,
                        error_messages={**messages, **invalid},
                    )
                else:
                    field = forms.ChoiceField(
                        label=label,
                        choices=choices,
                        required=required,
                        widget=forms.RadioSelect,
                        error_messages={**messages, **invalid},
                    )
            else:
                field = forms.CharField(
                    label=label,
                    required=required,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("Please write no names or details that could show who you or others are."),
                    error_messages={
                        **messages,
                        "max_length": _("Keep your answer under %(limit_value)d characters."),
                    },
                )
            field.kind = block.block_type
            self.kinds[key] = block.block_type
            self.fields[key] = field

    def answers(self) -> dict[str, Any]:
        """The answers given, by question block id; questions left blank are left out."""
        found: dict[str, Any] = {}
        for key, value in self.cleaned_data.items():
            if value in (None, "", []):
                continue
            found[key.removeprefix("q-")] = value
        return found
