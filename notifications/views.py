"""The notification centre: the person's notifications, newest first, and their preferences.

Plain forms and links: it works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notifications.forms import NotificationPreferencesForm
from notifications.models import Notification
from notifications.rendering import localise, notification_line
from notifications.selectors import notifications_shown_to, optional_kinds_for, preferences_of
from notifications.sending import reader_zone
from notifications.services import (
    notification_kind_mute,
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
)
from training.notices import kind_get, unsubscribe_token_read

PAGE_SIZE = 20


def _entry(notification: Notification, language: str) -> dict | None:
    try:
        kind = kind_get(notification.kind)
    except LookupError:
        return None
    link = localise(notification.context.get(kind.link), language) if kind.link else ""
    if not isinstance(link, str) or not link.startswith("/") or link.startswith("//"):
        link = ""
    return {
        "notification": notification,
        "line": notification_line(notification, kind, language),
        "link": link,
    }


@never_cache
@login_required
@require_safe
def notification_list(request):
    page = Paginator(notifications_shown_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    entries = [entry for entry in (_entry(item, language) for item in page) if entry is not None]
    return render(request, "notifications/notification_list.html", {"page": page, "entries": entries})


@login_required
@require_POST
def notifications_read_all(request):
    if notifications_mark_all_read(user=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notification_list")


@login_required
@require_POST
def notification_read(request, notification_id: int):
    """Mark one notification read, then go where it leads (or back to the list)."""
    notification = get_object_or_404(
        Notification, pk=notification_id, user=request.user, shown_at__isnull=False
    )
    notification_mark_read(notification=notification)
    entry = _entry(notification, get_language())
    link = entry["link"] if entry else ""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notification_list")


@never_cache
@login_required
def notification_preferences(request):
    kinds = optional_kinds_for(request.user)
    preferences = preferences_of(request.user)
    initial = {
        "quiet_start_hour": preferences.quiet_start_hour,
        "quiet_end_hour": preferences.quiet_end_hour,
        **{f"kind_{kind.name}": kind.name not in preferences.muted_kinds for kind in kinds},
    }
    # A form with every box unticked posts nothing at all: it is still an answer.
    data = request.POST if request.method == "POST" else None
    form = NotificationPreferencesForm(data, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Kinds this page does not show (another role's) keep the choice made for them.
        shown = {kind.name for kind in kinds}
        kept = [name for name in preferences.muted_kinds if name not in shown]
        notification_preferences_save(
            user=request.user,
            muted_kinds=kept + form.muted_kinds(),
            quiet_start_hour=form.cleaned_data["quiet_start_hour"],
            quiet_end_hour=form.cleaned_data["quiet_end_hour"],
        )
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notification_preferences")
    return render(
        request,
        "notifications/notification_preferences.html",
        {"form": form, "time_zone": reader_zone(request.user.pk).key},
    )


@never_cache
@csrf_exempt  # the one-click POST (RFC 8058) comes from the mail provider, with no CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def notification_unsubscribe(request, token: str):
    """Turn one optional kind off for the person a signed link names, without signing in.

    GET asks first, with a button (mail scanners open links, and must not unsubscribe anyone); a
    POST, from that button or from the mail program's own "Unsubscribe" (a POST with the body
    `List-Unsubscribe=One-Click`), turns it off at once. Exempt from CSRF, since the one-click POST
    carries no token: it accepts only a valid signature, and only ever turns a message off.
    """
    found = unsubscribe_token_read(token)
    if found is not None and not get_user_model().objects.filter(pk=found[0]).exists():
        found = None  # the person's account is gone: there is nothing left to stop
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user_id, kind_name = found
    kind = kind_get(kind_name)
    done = False
    if request.method == "POST":
        notification_kind_mute(user_id=user_id, kind_name=kind_name)
        done = True
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "done": done})
