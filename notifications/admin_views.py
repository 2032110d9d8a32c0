"""Staff's view of the mail that has not been delivered: failing, failed, or held back because the
address bounced; with "send again" and "allow mail to this address again"."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from notifications.delivery import send_again
from notifications.models import OutboxMessage, SuppressedAddress
from training.admin_views import permission_required_or_denied

MAIL_PERMISSION = "notifications.change_outboxmessage"
ROWS_SHOWN = 200

mail_permission_required = permission_required_or_denied(MAIL_PERMISSION)


@mail_permission_required
@require_safe
def undelivered_mail(request):
    """Messages that failed, were held back, or are being retried after an error, newest first;
    and the addresses that bounced."""
    undelivered = OutboxMessage.objects.filter(
        Q(status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.SUPPRESSED])
        | (Q(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING]) & ~Q(last_error=""))
    ).order_by("-created_at")
    return render(
        request,
        "notifications/admin/undelivered_mail.html",
        {
            "page_title": _("Undelivered mail"),
            "rows": undelivered.defer("raw")[:ROWS_SHOWN],
            "total": undelivered.count(),
            "suppressed": SuppressedAddress.objects.order_by("-created_at")[:ROWS_SHOWN],
            "retryable": {OutboxMessage.Status.FAILED, OutboxMessage.Status.SUPPRESSED},
        },
    )


@mail_permission_required
@require_POST
def mail_send_again(request, message_id):
    """Queue one failed or held-back message again, with fresh attempts."""
    row = get_object_or_404(OutboxMessage, pk=message_id)
    if send_again(row):
        messages.success(request, _("The message is queued again."))
    else:
        messages.error(request, _("This message cannot be sent again: it was delivered or erased."))
    return HttpResponseRedirect(reverse("notifications_undelivered_mail"))


@mail_permission_required
@require_POST
def address_allow_again(request, address_id):
    """Lift the stop on an address that bounced (after the person said it works again)."""
    get_object_or_404(SuppressedAddress, pk=address_id).delete()
    messages.success(request, _("Mail to this address will be sent again."))
    return HttpResponseRedirect(reverse("notifications_undelivered_mail"))
