"""The password rules, in our words: Django's validators with messages our catalogs translate.

Django's own Thai catalog leaves these rules and errors untranslated (its messages changed to curly
apostrophes after the Thai team last worked on them), so the Thai sign-up page showed them in English.
The checks themselves are Django's.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too much like your %(verbose_name)s.")

    def get_help_text(self):
        return _("Do not make it like your email address or your name.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        # Django passes min_length with the error, so the message is formatted where it is shown.
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "Use at least %(min_length)d character.",
            "Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one that many people use, so it is easy to guess.")

    def get_help_text(self):
        return _("Do not use a password that many people use.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password has only digits.")

    def get_help_text(self):
        return _("Do not use only digits.")


# Set by the admin's user forms (volunteers/apps.py) to the groups the form is about to give.
PENDING_GROUPS_ATTRIBUTE = "_password_rule_groups"


def _can_open_the_admin(user) -> bool:
    from django.contrib.auth.models import Permission

    if user.is_staff or user.is_superuser:
        return True
    # Trainers and staff are people in a group that may open the Wagtail admin.
    pending = getattr(user, PENDING_GROUPS_ATTRIBUTE, None)
    if pending is not None:
        return Permission.objects.filter(
            group__in=list(pending), content_type__app_label="wagtailadmin", codename="access_admin"
        ).exists()
    return user.pk is not None and user.is_active and user.has_perm("wagtailadmin.access_admin")


class AdminRoleMinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Longer passwords for trainers and staff, who can change courses and people's records (ASVS 2.1.1).

    Applies wherever Django validates a password with the user at hand: choosing one from a reset or
    invitation link, changing it on the site or in the admin, and the admin's user forms for existing
    accounts. Volunteers keep MinimumLengthValidator's shorter minimum.
    """

    def __init__(self, min_length: int = 12):
        super().__init__(min_length)

    def validate(self, password, user=None):
        if user is not None and _can_open_the_admin(user):
            super().validate(password, user)

    def get_error_message(self):
        return ngettext(
            "This password is too short: trainers and staff use at least %(min_length)d character.",
            "This password is too short: trainers and staff use at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "Trainers and staff: at least %(min_length)d character.",
            "Trainers and staff: at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
