"""Background work of the volunteer register: account emails.

Tasks receive ids only, so no address or name is stored in a task queue.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

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
