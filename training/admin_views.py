"""Admin views of the site itself: display shared by our apps' viewsets (staff read words, never
Python's True, False or None), and the failed background tasks staff can send again."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.models import InspectView

from training.worker import send_again


def audited_user(user):
    """The person behind `request.user`, unwrapped: the two-step middleware wraps it once more,
    and the audit log looks up the real class of whoever acted."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


# What an empty field shows: a dash, in every language.
EMPTY_VALUE = "—"


def readable(value):
    """A field's value as a person reads it: Yes/No for booleans, a dash for nothing."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY_VALUE
    return value


class ReadableInspectView(InspectView):
    """Wagtail's inspect view, with booleans and empty fields in words (it prints True, False, None)."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, Component):
            return value
        return readable(value)


# --- Background tasks that failed every attempt (the dead letters of training.worker) ----------

TASKS_PERMISSION = "django_tasks_database.change_dbtaskresult"
FAILED_TASKS_SHOWN = 200


def permission_required_or_denied(permission: str):
    """Refuse (Wagtail's "permission denied") anyone without `permission`, before anything else,
    whichever method they use."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator


tasks_permission_required = permission_required_or_denied(TASKS_PERMISSION)


@tasks_permission_required
@require_safe
def failed_tasks(request):
    """Staff read the background tasks that failed every attempt, newest first, with their error."""
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
    rows = [
        {
            "id": job.pk,
            "task": job.task_path.rsplit(".", 1)[-1],  # no import: the task may be gone
            "attempts": len(job.worker_ids),
            "finished_at": job.finished_at,
            "error": job.exception_class_path.rsplit(".", 1)[-1],
            "detail": job.traceback.strip().splitlines()[-1] if job.traceback.strip() else "",
        }
        for job in failed[:FAILED_TASKS_SHOWN]
    ]
    return render(
        request,
        "training/admin/failed_tasks.html",
        {"rows": rows, "total": failed.count(), "page_title": _("Failed background tasks")},
    )


@tasks_permission_required
@require_POST
def failed_task_send_again(request, task_id):
    """Put one failed task back in the queue with fresh attempts."""
    job = get_object_or_404(DBTaskResult, pk=task_id, status=TaskResultStatus.FAILED)
    send_again(job)
    messages.success(request, _("The task is queued again."))
    return HttpResponseRedirect(reverse("training_failed_tasks"))
