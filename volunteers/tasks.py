"""Background work of the volunteer register: account emails, and telling everyone who consented to
an older privacy notice that it changed.

Tasks receive ids only, so no address or name is stored in a task queue.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from training.queue import enqueue_with_data
from volunteers.tokens import email_confirmation_token, password_set_path_args

ACCOUNT_EMAILS = {
    "confirm": "volunteers/email/confirm_email",
    "exists": "volunteers/email/account_exists",
    "invite": "volunteers/email/invitation",
    "reset": "volunteers/email/password_reset",
}


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


@task()
def account_email_send(*, user_id: int, kind: str, language: str = "th") -> None:
    """Send an account email (address confirmation, "you already have an account", invitation,
    password reset) in the person's language."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in ACCOUNT_EMAILS:
        return
    with translation.override(language):
        if kind == "confirm":
            link = _absolute(reverse("account_confirm_email", args=[email_confirmation_token(user)]))
        elif kind == "exists":
            link = _absolute(reverse("account_login"))
        else:
            link = _absolute(reverse("password_reset_confirm", kwargs=password_set_path_args(user)))
        context = {"user": user, "link": link, "site_url": settings.SITE_URL}
        subject = render_to_string(f"{ACCOUNT_EMAILS[kind]}_subject.txt", context).strip()
        body = render_to_string(f"{ACCOUNT_EMAILS[kind]}.txt", context)
    send_mail(subject, body, None, [user.email])


# People told per transaction when a privacy notice changes: a large register is told in steps.
PRIVACY_NOTICE_BATCH = 500


@task()
def privacy_notice_changed_notify_all(*, version: int) -> int:
    """Tell everyone who consented to a version older than `version` that the notice changed.

    In batches, each in its own transaction; each person is told once per version (the
    notification's key), so a task run again after a crash tells nobody twice. Returns how many
    people it considered.
    """
    from volunteers.models import VolunteerProfile
    from volunteers.notices import privacy_notice_changed_notify
    from volunteers.selectors import privacy_notice_current

    current = privacy_notice_current()
    if current is None or current.version != version:
        return 0  # a newer notice (or none) since: its own task tells people
    considered, after = 0, 0
    while True:
        batch = list(
            VolunteerProfile.objects.filter(
                pk__gt=after,
                consent_version__lt=version,
                user__is_active=True,
                erased_at__isnull=True,
            )
            .order_by("pk")
            .values_list("pk", "user_id")[:PRIVACY_NOTICE_BATCH]
        )
        if not batch:
            return considered
        with transaction.atomic():
            for _pk, user_id in batch:
                privacy_notice_changed_notify(user_id=user_id, version=version)
        considered += len(batch)
        after = batch[-1][0]


def privacy_notice_published(sender, instance, **kwargs) -> None:
    """Wagtail's page_published: a privacy notice published with a new version tells those who
    consented to an older one, from the worker, after the publication commits."""
    from volunteers.models import PrivacyNoticePage

    if not issubclass(sender, PrivacyNoticePage) or not isinstance(instance, PrivacyNoticePage):
        return
    if instance.locale.language_code != settings.LANGUAGE_CODE:
        return  # a translation of the notice: the Thai page carries the version
    enqueue_with_data(privacy_notice_changed_notify_all, version=instance.version)


@task()
def certification_expiry_task() -> int:
    from volunteers.certification import certification_expiry_reminders_send

    return certification_expiry_reminders_send()
