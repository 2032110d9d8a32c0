"""Admin display shared by our apps' viewsets: staff read words, never Python's True, False or None."""

from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.models import InspectView

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


def _may_see_tasks(request) -> None:
    from django.core.exceptions import PermissionDenied

    if not request.user.has_perm(TASKS_PERMISSION):
        raise PermissionDenied


def failed_tasks(request):
    """Staff read the background tasks that failed every attempt, newest first, with their error."""
    from django.shortcuts import render
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    _may_see_tasks(request)
    if request.method not in ("GET", "HEAD"):
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "HEAD"])
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


def failed_task_send_again(request, task_id):
    """Put one failed task back in the queue with fresh attempts (POST only)."""
    from django.contrib import messages
    from django.http import HttpResponseNotAllowed, HttpResponseRedirect
    from django.shortcuts import get_object_or_404
    from django.urls import reverse
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from training.worker import send_again

    _may_see_tasks(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = get_object_or_404(DBTaskResult, pk=task_id, status=TaskResultStatus.FAILED)
    send_again(job)
    messages.success(request, _("The task is queued again."))
    return HttpResponseRedirect(reverse("training_failed_tasks"))
