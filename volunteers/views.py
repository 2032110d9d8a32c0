"""The account area: sign-up, email confirmation, consent, the volunteer's own profile and data rights.

Every view works on the signed-in person's own record; no view takes another person's id.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from training.time_zones import forget_reader_zone
from volunteers import services
from volunteers.forms import ConsentForm, SignUpForm, VolunteerProfileForm
from volunteers.models import VolunteerProfile
from volunteers.selectors import (
    is_organization_leader,
    leader_names_for,
    privacy_notice_current,
    privacy_notice_for_language,
)
from volunteers.throttle import account_mail_allowed
from volunteers.tokens import email_confirmation_matches, email_confirmation_user_id

# The account a sign-up in this browser created (None when the address had one already), and where
# its person was going: confirming the address from the same browser signs them in.
SIGN_UP_PENDING = "sign_up_pending"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _notice_context():
    notice = privacy_notice_current()
    return {"notice": notice, "notice_page": privacy_notice_for_language(notice) if notice else None}


@never_cache
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("account_profile")
    context = _notice_context()
    if context["notice"] is None:
        return render(request, "volunteers/sign_up_closed.html", status=503)
    form = SignUpForm(request.POST or None)
    # Where the person was going (a course they wanted to enrol in): back there after confirming.
    context["next"] = _safe_next(request, "")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not account_mail_allowed(request, email):
            return render(request, "volunteers/sign_up_throttled.html", status=429)
        user = services.volunteer_sign_up(
            email=email,
            password=form.cleaned_data["password1"],
            language=get_language() or "th",
            consent_version=context["notice"].version,
        )
        # The same answer whether or not the address had an account: the mail tells the owner.
        # Confirming from this browser signs the new account in (SIGN_UP_PENDING).
        request.session[SIGN_UP_PENDING] = {"user": user.pk if user else None, "next": context["next"]}
        return redirect("account_signup_sent")
    return render(request, "volunteers/sign_up.html", {**context, "form": form})


@never_cache
@require_safe
def sign_up_sent(request):
    return render(request, "volunteers/sign_up_sent.html")


@never_cache
def confirm_email(request, token: str):
    """Confirm an address from the emailed link; works signed in or not."""
    user_id = email_confirmation_user_id(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or not email_confirmation_matches(user, token):
        return render(request, "volunteers/confirm_email_invalid.html", status=400)
    if request.method == "POST":
        services.email_confirm(user=user)
        messages.success(request, _("Thank you, your email address is confirmed."))
        pending = request.session.pop(SIGN_UP_PENDING, None) or {}
        if not request.user.is_authenticated and pending.get("user") == user.pk:
            # Signed up in this browser a moment ago: the confirmed account is theirs to use.
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome! Your account is ready. Please fill in your profile."))
            return redirect(pending.get("next") or "account_profile")
        return redirect("account_profile" if request.user.is_authenticated else "account_login")
    # A GET only shows a button: mail scanners that follow links must not confirm on their own.
    return render(request, "volunteers/confirm_email.html", {"already": user.email_confirmed_at is not None})


@login_required
@require_POST
def resend_confirmation(request):
    if not account_mail_allowed(request, request.user.email):
        messages.error(
            request,
            _("We have sent the link several times already. Please look in your inbox, or try again later."),
        )
        return redirect(_safe_next(request, "/"))
    services.email_confirmation_resend(user=request.user, language=get_language() or "th")
    messages.success(request, _("We have sent the confirmation link again."))
    return redirect(_safe_next(request, "/"))


@never_cache
@login_required
def consent(request):
    context = _notice_context()
    if context["notice"] is None:
        return redirect("account_profile")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.volunteer_consent_record(user=request.user, version=context["notice"].version)
        messages.success(request, _("Thank you. Your consent is recorded."))
        return redirect(_safe_next(request, "/"))
    return render(
        request, "volunteers/consent.html", {**context, "form": form, "next": _safe_next(request, "")}
    )


@never_cache
@login_required
def profile(request):
    profile, _created = VolunteerProfile.objects.select_related("organization").get_or_create(
        user=request.user
    )
    form = VolunteerProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "new_organization_name"}
        profile.refresh_from_db()
        services.volunteer_profile_update(
            profile=profile, data=data, new_organization_name=form.cleaned_data["new_organization_name"]
        )
        forget_reader_zone(request)
        messages.success(request, _("Your profile is saved."))
        return redirect("account_profile")
    return render(
        request,
        "volunteers/volunteer_profile.html",
        {
            "profile": profile,
            "form": form,
            "leader_names": leader_names_for(profile),
            "is_leader": is_organization_leader(request.user),
        },
    )


# A person downloads their data a few times an hour at most; more is someone making the server
# gather every app's records again and again.
DATA_EXPORT_LIMIT = 5
DATA_EXPORT_WINDOW = 3600


def _data_export_allowed(user) -> bool:
    """Count one more export for `user` in the shared cache; False once over the limit."""
    key = f"data-export:{user.pk}"
    if cache.add(key, 1, DATA_EXPORT_WINDOW):
        return True
    try:
        return cache.incr(key) <= DATA_EXPORT_LIMIT
    except ValueError:  # expired between add and incr
        cache.add(key, 1, DATA_EXPORT_WINDOW)
        return True


@never_cache
@login_required
def data_export(request):
    """All the person's data as a JSON download, a few times an hour."""
    if not _data_export_allowed(request.user):
        response = render(request, "volunteers/data_export_throttled.html", status=429)
        response["Retry-After"] = str(DATA_EXPORT_WINDOW)
        return response
    payload = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@never_cache
@login_required
def erasure_request(request):
    profile = VolunteerProfile.objects.filter(user=request.user).first()
    if request.method == "POST":
        services.volunteer_erasure_request(user=request.user)
        messages.success(
            request,
            _("Your request is recorded. Staff will erase your data soon."),
        )
        return redirect("account_profile")
    return render(request, "volunteers/erasure_request.html", {"profile": profile})
