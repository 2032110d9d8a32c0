"""What a person chooses to receive: the optional kinds, and quiet hours in their own time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

HOURS = [("", _("No quiet hours"))] + [(str(hour), f"{hour:02d}:00") for hour in range(24)]


class NotificationPreferencesForm(forms.Form):
    quiet_start_hour = forms.TypedChoiceField(
        label=_("Quiet from"), choices=HOURS, coerce=int, empty_value=None, required=False
    )
    quiet_end_hour = forms.TypedChoiceField(
        label=_("Quiet until"), choices=HOURS, coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[f"kind_{kind.name}"] = forms.BooleanField(
                label=kind.label or kind.name, required=False
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start_hour"), cleaned.get("quiet_end_hour")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Choose both the start and the end of your quiet hours, or neither.")
            )
        if start is not None and start == end:
            raise forms.ValidationError(_("Quiet hours must start and end at different times."))
        return cleaned

    def kind_fields(self):
        return [self[f"kind_{kind.name}"] for kind in self.kinds]

    def muted_kinds(self) -> list[str]:
        return sorted(kind.name for kind in self.kinds if not self.cleaned_data.get(f"kind_{kind.name}"))
