"""The outbox in the admin: Settings > Undelivered mail, for staff."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from notifications import admin_views


@hooks.register("register_admin_urls")
def register_mail_urls():
    return [
        path("mail/undelivered/", admin_views.undelivered_mail, name="notifications_undelivered_mail"),
        path(
            "mail/<int:message_id>/send-again/",
            admin_views.mail_send_again,
            name="notifications_mail_send_again",
        ),
        path(
            "mail/suppressed/<int:address_id>/allow/",
            admin_views.address_allow_again,
            name="notifications_address_allow_again",
        ),
    ]


class UndeliveredMailMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.MAIL_PERMISSION)


@hooks.register("register_settings_menu_item")
def undelivered_mail_menu_item():
    return UndeliveredMailMenuItem(
        _("Undelivered mail"), reverse("notifications_undelivered_mail"), icon_name="mail", order=910
    )
