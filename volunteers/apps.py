from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """The register of people and organisations that every other app refers to."""

    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from wagtail.signals import page_published

        from training.dates import register_country_namer
        from volunteers import (
            endorsement,
            notices,
            sessions,  # noqa: F401  (records whose sessions are whose at sign-in)
            signals,  # noqa: F401  (login throttling listens to auth signals)
            two_factor,  # noqa: F401  (registers its deployment check)
        )
        from volunteers.countries import country_name
        from volunteers.privacy_providers import register_core_providers
        from volunteers.tasks import privacy_notice_published

        register_core_providers()
        notices.register()
        notices.register_certification()
        _certification_expiry_job()
        _certification_documents_upload()
        endorsement.register()
        page_published.connect(privacy_notice_published, dispatch_uid="volunteers_privacy_notice_changed")
        register_country_namer(country_name)
        _limit_admin_password_guesses()
        _admin_user_forms_tell_the_role()


def _certification_expiry_job() -> None:
    """Daily, at 09:00 Bangkok time: leaders of organisations whose certification ends within 90
    days are told, once per certification."""
    import datetime

    from training.scheduler import job_register
    from volunteers.tasks import certification_expiry_task

    job_register(
        "certification_expiry",
        certification_expiry_task,
        every=datetime.timedelta(days=1),
        offset=datetime.timedelta(hours=2),
    )


def _certification_documents_upload() -> None:
    """Leaders attach documents to their organisation's certification application on the public
    site, where other people's file parts are dropped: one document (10 MB) and the form per request."""
    from training.middleware import LEADER_SESSION_FLAG
    from training.request_limits import MEGABYTE, upload_place_register
    from volunteers.certification import MAX_DOCUMENT_BYTES

    upload_place_register(
        path_pattern=r"^/(?:[a-z]{2}/)?organisation/\d+/certification/\d+/documents/$",
        session_flag=LEADER_SESSION_FLAG,
        max_bytes=MAX_DOCUMENT_BYTES + MEGABYTE,
    )


def _limit_admin_password_guesses() -> None:
    """Wagtail's account page changes a password with its own form; give it our guess limit.

    Wagtail offers no setting for the form of its password panel, so the panel's class attribute is
    replaced (tests/security/test_password_guessing.py proves it on the admin's account page).
    """
    from wagtail.admin.views.account import ChangePasswordPanel

    from volunteers.forms import AdminPasswordChangeForm

    ChangePasswordPanel.form_class = AdminPasswordChangeForm


def _admin_user_forms_tell_the_role() -> None:
    """Wagtail's user forms check a new password before the groups they give are saved; tell the
    password rules which groups those are, so a new trainer or staff account needs 12 characters.

    (tests/security/test_admin_password_length.py creates such an account through the admin.)
    """
    from wagtail.users.forms import UserForm

    from volunteers.passwords import PENDING_GROUPS_ATTRIBUTE

    check = UserForm.validate_password

    def validate_password(self):
        if "groups" in self.cleaned_data:
            setattr(self.instance, PENDING_GROUPS_ATTRIBUTE, self.cleaned_data["groups"])
        return check(self)

    UserForm.validate_password = validate_password
