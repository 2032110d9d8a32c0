from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from volunteers.coordinators import countries_of, sees_country
from volunteers.uploads import validate_upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Recorded in the audit log and, for a revocation, kept with the certificate."),
    )


class ManualIssueForm(forms.Form):
    email = forms.EmailField(label=_("Volunteer's email address"))
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.filter(locale__language_code="th").order_by("title")
    )
    reason = forms.CharField(
        label=_("Why is this completion recorded outside the platform?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        volunteer = get_user_model().objects.filter(email__iexact=email).first()
        if self.for_user is not None and countries_of(self.for_user) is not None:
            # A country coordinator issues only to their countries' volunteers; anyone else is
            # answered as nobody, so the form does not tell who is on the register elsewhere.
            profile = getattr(volunteer, "volunteer_profile", None) if volunteer else None
            if profile is None or not sees_country(self.for_user, profile.country):
                raise forms.ValidationError(_("No volunteer of your countries has this email address."))
        if volunteer is None:
            raise forms.ValidationError(_("No account has this email address."))
        if volunteer.email_confirmed_at is None:
            raise forms.ValidationError(
                _("This volunteer has not confirmed their email address yet; ask them to confirm it first.")
            )
        self.volunteer = volunteer
        return email


class VerifyToolForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code or serial"),
        required=False,
        max_length=64,
        help_text=_(
            "The code from the verification link (ABCD-EFGH-...) or a serial such as MSDHS-2026-000123."
        ),
    )
    pdf = forms.FileField(label=_("Or a certificate PDF"), required=False)

    MAX_PDF_BYTES = 5 * 1024 * 1024

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > self.MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; a certificate PDF is far smaller."))
        if upload:
            validate_upload(upload, max_bytes=self.MAX_PDF_BYTES, extensions={"pdf"})
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code") and not cleaned.get("pdf"):
            raise forms.ValidationError(_("Enter a code or a serial, or choose a PDF."))
        return cleaned
