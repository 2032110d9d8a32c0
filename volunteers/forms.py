"""Forms of the account area: sign-up, consent, the profile, staff import, and admin sign-in codes."""

import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordChangeForm as WagtailPasswordChangeForm

from volunteers.countries import sorted_country_choices, sorted_time_zone_choices
from volunteers.models import VolunteerProfile
from volunteers.selectors import organizations_for_choice
from volunteers.throttle import (
    account_mail_allowed,
    login_ceiling_clear,
    password_guess_allowed,
    password_guess_failed,
)
from volunteers.uploads import validate_upload

# The id of the box that lists a form's errors that belong to no single field (components/form_fields.html).
FORM_ERRORS_ID = "form-errors"

# The password rules as a list, in the language of each request (Django's password forms build theirs
# once, when the module is imported, so they stay in whatever language was active then).
PASSWORD_RULES = lazy(password_validation.password_validators_help_text_html, str)()
PASSWORDS_DIFFER = _("The two passwords are not the same.")


def _new_password_field(label, *, rules: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_RULES if rules else "",
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with the "wrong email or password" error tied to both fields, so a
    screen reader announces it on whichever field has focus."""

    def _post_clean(self):
        super()._post_clean()
        if self.non_field_errors():
            for field in self.fields.values():
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": FORM_ERRORS_ID})


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    password1 = _new_password_field(_("Password"), rules=True)
    password2 = _new_password_field(_("Password again"))
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to the processing of my data as it describes."),
        error_messages={"required": _("You can only sign up after agreeing to the privacy notice.")},
    )

    def clean_email(self):
        # Whether the address has an account is not said here: the mail tells its owner.
        return self.cleaned_data["email"].lower()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", PASSWORDS_DIFFER)
        elif first:
            user = get_user_model()(email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a password from an emailed link (a reset, or an invitation): Django's form with the
    rules shown in the reader's language, and a rule that is broken said beside the rules."""

    error_messages = {"password_mismatch": PASSWORDS_DIFFER}
    new_password1 = _new_password_field(_("New password"), rules=True)
    new_password2 = _new_password_field(_("New password again"))

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        if "new_password2" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data

    def save(self, commit=True):
        user = super().save(commit=commit)
        # The owner proved themselves (a mailed link, or the current password): the account's
        # ceiling on failed logins from all addresses no longer keeps them out.
        login_ceiling_clear(user)
        return user


PASSWORD_GUESSES_EXHAUSTED = _(
    "The current password was wrong too many times. Please wait 15 minutes and try again, or log out "
    "and reset your password."
)


class ThrottledOldPasswordMixin:
    """A limit on guesses at the current password, for any form built on Django's password change.

    Whoever holds a signed-in session (a borrowed phone, a stolen session cookie) must not be able to
    guess the password behind it without limit: after PASSWORD_GUESS_LIMIT wrong ones the form stops
    checking it, whatever is typed.
    """

    def clean_old_password(self):
        if not password_guess_allowed(self.user):
            raise forms.ValidationError(PASSWORD_GUESSES_EXHAUSTED, code="password_guesses_exhausted")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            password_guess_failed(self.user)
            raise


class PasswordChangeForm(ThrottledOldPasswordMixin, SetPasswordForm, auth_forms.PasswordChangeForm):
    """Changing a known password: the current one first, then the new one as when choosing it."""

    error_messages = {
        "password_mismatch": PASSWORDS_DIFFER,
        "password_incorrect": _("Your current password is not right. Please enter it again."),
    }
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class AdminPasswordChangeForm(ThrottledOldPasswordMixin, WagtailPasswordChangeForm):
    """The password panel of the admin's account page, with the same limit on current-password guesses."""


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I have read the updated privacy notice and agree to it."),
        error_messages={"required": _("Tick the box to agree, or log out.")},
    )


class VolunteerProfileForm(forms.ModelForm):
    new_organization_name = forms.CharField(
        label=_("Or name your organisation, if it is not in the list"),
        max_length=255,
        required=False,
        help_text=_("Staff will confirm it."),
    )

    class Meta:
        model = VolunteerProfile
        fields = [
            "title",
            "given_name_th",
            "family_name_th",
            "given_name_en",
            "family_name_en",
            "country",
            "city",
            "organization",
            "new_organization_name",
            "organization_role",
            "phone",
            "share_contact_with_leaders",
            "preferred_language",
            "time_zone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = organizations_for_choice()
        if self.instance.organization_id:
            queryset = queryset | type(self.instance.organization).objects.filter(
                pk=self.instance.organization_id
            )
        self.fields["organization"].queryset = queryset
        self.fields["country"].choices = [("", "---------"), *sorted_country_choices()]
        self.fields["time_zone"].choices = [
            ("", _("The usual time of my country of residence")),
            *sorted_time_zone_choices(),
        ]
        for name in ("given_name_th", "family_name_th", "country"):
            self.fields[name].required = True
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in "+-() " for ch in phone):
            raise forms.ValidationError(_("Use digits, spaces and + - ( ) only."))
        return phone


class EmaillessResetForm(PasswordResetForm):
    """Django's reset form (the same answer for every address), also for invited people without a password.

    The email goes through the task queue with the user's id only, so the response takes the same
    time whether or not the address has an account.
    """

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)

    def save(self, *args, **kwargs):
        from volunteers.tasks import account_email_send

        email = self.cleaned_data["email"]
        # Over the limit the person sees the same "check your email" page, and no email goes out.
        if not account_mail_allowed(kwargs.get("request"), email):
            return
        for user in self.get_users(email):
            account_email_send.enqueue(user_id=user.pk, kind="reset", language=get_language() or "th")


class VolunteerImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file (UTF-8)"),
        allow_empty_file=True,  # the import says why an empty file is refused
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        # The columns are named above the form, as code (templates/volunteers/admin/import.html).
    )

    def clean_file(self):
        from volunteers.services import IMPORT_MAX_BYTES

        upload = self.cleaned_data["file"]
        validate_upload(upload, max_bytes=IMPORT_MAX_BYTES, extensions={"csv", "txt"})
        return upload


RECOVERY_CODE_RE = re.compile(r"[a-z2-7]{8}")


def _compact(code: str) -> str:
    # Apps show the code in two groups of three; people copy it with the space (or a dash).
    return "".join(code.split()).replace("-", "")


def _is_six_digits(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


class TwoFactorCodeForm(forms.Form):
    """A six-digit code from an authenticator app; the view checks it against the person's device.

    With `recovery=True` (signing in) one of the person's recovery codes is taken too: eight letters
    and digits, in any case; `is_recovery_code` then says which kind was given.
    """

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "size": 8,
            }
        ),
        error_messages={"required": _("Enter the 6-digit code your authenticator app shows.")},
    )

    def __init__(self, *args, recovery: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        self.is_recovery_code = False
        if recovery:
            message = _("Enter the 6-digit code your authenticator app shows, or one of your recovery codes.")
            self.fields["code"].error_messages["required"] = message
            # A recovery code has letters: a phone must offer its full keyboard.
            self.fields["code"].widget.attrs["inputmode"] = "text"
            self.fields["code"].widget.attrs["autocapitalize"] = "none"
            self.fields["code"].widget.attrs["spellcheck"] = "false"

    def clean_code(self) -> str:
        code = _compact(self.cleaned_data["code"])
        if _is_six_digits(code):
            return code
        if self.recovery:
            lowered = code.lower()
            if lowered.isascii() and RECOVERY_CODE_RE.fullmatch(lowered):
                self.is_recovery_code = True
                return lowered
            raise forms.ValidationError(
                _("Enter the 6-digit code your authenticator app shows, or one of your recovery codes.")
            )
        raise forms.ValidationError(_("Enter the 6-digit code your authenticator app shows."))


class TwoFactorMailboxCodeForm(forms.Form):
    """The six-digit code mailed to the account's address before an authenticator app is set up."""

    code = forms.CharField(
        label=_("Code from the email"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "size": 8}
        ),
        error_messages={"required": _("Enter the 6-digit code from the email we sent you.")},
    )

    def clean_code(self) -> str:
        code = _compact(self.cleaned_data["code"])
        if not _is_six_digits(code):
            raise forms.ValidationError(_("Enter the 6-digit code from the email we sent you."))
        return code
