"""The site's own admin screens: the background tasks that failed every attempt."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from training import admin_views


@hooks.register("register_admin_urls")
def register_failed_tasks_urls():
    return [
        path("tasks/failed/", admin_views.failed_tasks, name="training_failed_tasks"),
        path(
            "tasks/failed/<uuid:task_id>/send-again/",
            admin_views.failed_task_send_again,
            name="training_failed_task_send_again",
        ),
    ]


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.TASKS_PERMISSION)


@hooks.register("register_settings_menu_item")
def failed_tasks_menu_item():
    return FailedTasksMenuItem(
        _("Failed background tasks"), reverse("training_failed_tasks"), icon_name="warning", order=900
    )
