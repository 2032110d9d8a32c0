"""Two-step verification for the Wagtail admin: the sign-in code, setting up an authenticator app,
and the middleware that keeps the admin closed to a session that has not given its code.

Everyone who can open the admin (trainers, staff, superusers) is asked for a TOTP code from an
authenticator app after the password when they have set one up; with `ADMIN_2FA_REQUIRED`, those
who have none are sent to set one up first. django-otp keeps the verified device in the session
and throttles wrong codes per device.
"""

import hmac
import math
import secrets
import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from volunteers import services
from volunteers.forms import TwoFactorCodeForm, TwoFactorMailboxCodeForm
from volunteers.selectors import two_factor_device, two_factor_recovery_codes_left, two_factor_recovery_device
from volunteers.throttle import account_mail_allowed

ADMIN_PATH_PREFIX = "/admin/"
# Set at sign-in for people with admin access (training.middleware.mark_admin_sessions), so pages
# outside the admin never need a permission query to know who must give a code.
ADMIN_SESSION_FLAG = "admin_access"
# Admin URLs a session that still owes its code may open: these views, signing in and out, and the
# icons and translations the sign-in pages load.
EXEMPT_URL_NAMES = {
    "two_factor_verify",
    "two_factor_setup",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}

WRONG_CODE_MESSAGE = gettext_lazy(
    "That code is not right. Enter the code your authenticator app shows now, and check that the time "
    "on your phone is correct."
)
WRONG_RECOVERY_CODE_MESSAGE = gettext_lazy(
    "That recovery code is not right, or it has been used already. Each recovery code works once."
)
STANDALONE_LAYOUT = "volunteers/two_factor_standalone.html"

# Before someone without an app sets one up, they prove they read the account's mailbox with a code
# mailed to it, so a stolen password alone cannot enrol the thief's app. The session keeps only a
# keyed hash of the code, when it expires and how many wrong tries it has had.
MAILBOX_CODE_SESSION = "two_factor_mailbox_code"
MAILBOX_PROVED_SESSION = "two_factor_mailbox_proved"
MAILBOX_CODE_TRIES = 5
# The recovery codes made at setup, kept in the session only until the page that shows them.
RECOVERY_CODES_SESSION = "two_factor_recovery_codes"


def two_factor_redirect(request) -> HttpResponseRedirect | None:
    """Where a request for the admin must go first: the code, the setup, or nowhere (None)."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not request.session.get(ADMIN_SESSION_FLAG):
        if not user.has_perm("wagtailadmin.access_admin"):
            return None
        # Admin access granted after this session signed in: mark it now, as a sign-in would.
        request.session[ADMIN_SESSION_FLAG] = True
    if user.is_verified():
        return None
    if two_factor_device(user) is not None:
        target = "two_factor_verify"
    elif settings.ADMIN_2FA_REQUIRED:
        target = "two_factor_setup"
    else:
        return None
    next_url = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
    return HttpResponseRedirect(reverse(target) + "?" + urlencode({"next": next_url}))


class AdminTwoFactorMiddleware:
    """Sends an admin session that has not given its code to the verify (or setup) page.

    Only paths under /admin/ are looked at, so the public pages cost nobody a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(ADMIN_PATH_PREFIX):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        return two_factor_redirect(request)


# The same pages serve organisation leaders on the public site (volunteers.leaders), who have no
# admin access: there they live under /accounts/two-step/, stand alone, and lead back to the leader area.
ADMIN_URL_NAMES = {
    "verify": "two_factor_verify",
    "setup": "two_factor_setup",
    "recovery_codes": "two_factor_recovery_codes",
    "manage": "two_factor",
    "home": "wagtailadmin_home",
    "logout": "wagtailadmin_logout",
}
SITE_URL_NAMES = {
    "verify": "account_two_factor_verify",
    "setup": "account_two_factor_setup",
    "recovery_codes": "account_two_factor_recovery_codes",
    "manage": "organisation_home",
    "home": "organisation_home",
    "logout": "account_logout",
}


def _url_names(request) -> dict[str, str]:
    return ADMIN_URL_NAMES if request.path_info.startswith(ADMIN_PATH_PREFIX) else SITE_URL_NAMES


def _in_admin(request) -> bool:
    return request.path_info.startswith(ADMIN_PATH_PREFIX)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(_url_names(request)["home"])


def _grouped_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, as people type it into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code: no script, no request, nothing to cache."""
    qr = segno.make(device.config_url, error="m")
    # segno escapes the title and writes only the code's modules otherwise.
    title = _("QR code for your authenticator app")
    svg = qr.svg_inline(scale=5, border=4, title=title, svgclass="two-factor-qr")
    return mark_safe(svg)  # noqa: S308


def _check_code(form: TwoFactorCodeForm, device: TOTPDevice | StaticDevice, *, confirm: bool) -> int:
    """The status to answer with: 200 when the form's code is right for `device` (the app, or the
    person's recovery codes), else 400 or 429.

    The error is added to the form.
    """
    code = form.cleaned_data["code"]
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
        form.add_error(
            "code",
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then enter the code your app shows.",
                "Too many wrong codes. Wait %(seconds)d seconds, then enter the code your app shows.",
                seconds,
            )
            % {"seconds": seconds},
        )
        return 429
    if isinstance(device, StaticDevice):
        verified = services.two_factor_recovery_code_verify(device=device, code=code)
    elif confirm:
        verified = services.two_factor_device_confirm(device=device, code=code)
    else:
        verified = services.two_factor_code_verify(device=device, code=code)
    if verified:
        return 200
    form.add_error(
        "code", str(WRONG_RECOVERY_CODE_MESSAGE if isinstance(device, StaticDevice) else WRONG_CODE_MESSAGE)
    )
    return 400


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Ask for the code from the person's authenticator app after the password."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    names = _url_names(request)
    device = two_factor_device(request.user)
    if device is None:
        if settings.ADMIN_2FA_REQUIRED:
            return redirect(reverse(names["setup"]) + "?" + urlencode({"next": next_url}))
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None, recovery=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.is_recovery_code:
                # A recovery code instead of the app's code (a lost phone); each one works once.
                device = two_factor_recovery_device(request.user)
            if device is None:
                form.add_error("code", str(WRONG_RECOVERY_CODE_MESSAGE))
            else:
                status = _check_code(form, device, confirm=False)
        if status == 200:
            otp_login(request, device)
            # A new session key for the raised privilege, so a key seen before it is worth nothing.
            request.session.cycle_key()
            return redirect(next_url)
    return TemplateResponse(
        request,
        "volunteers/two_factor_verify.html",
        {
            "form": form,
            "next": next_url,
            "page_title": _("Two-step verification"),
            "two_factor_urls": names,
        },
        status=status,
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    next_url = _next_url(request)
    names = _url_names(request)
    has_device = two_factor_device(user) is not None
    if not user.is_verified() and has_device:
        # Replacing a device needs the old one: the password alone must not be enough.
        return redirect(reverse(names["verify"]) + "?" + urlencode({"next": next_url}))
    # Until the person has a verified device and is required to, the admin's menus would only lead
    # back here, so the page stands alone like the sign-in page (as it always does outside the admin).
    standalone = (settings.ADMIN_2FA_REQUIRED and not user.is_verified()) or not _in_admin(request)
    layout = STANDALONE_LAYOUT if standalone else "wagtailadmin/generic/base.html"
    if not has_device and request.session.get(MAILBOX_PROVED_SESSION) != user.pk:
        # The first app needs a second proof besides the password: a code mailed to the account.
        return _mailbox_step(request, next_url, standalone=standalone, layout=layout)
    device = services.two_factor_device_start(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _check_code(form, device, confirm=True) if form.is_valid() else 400
        if status == 200:
            codes = services.two_factor_recovery_codes_issue(user=device.user)
            otp_login(request, device)
            request.session.cycle_key()
            request.session.pop(MAILBOX_PROVED_SESSION, None)
            request.session[RECOVERY_CODES_SESSION] = {
                "user": user.pk,
                "codes": codes,
                "next": next_url if settings.ADMIN_2FA_REQUIRED else reverse(names["manage"]),
            }
            messages.success(
                request,
                _("Two-step verification is on. From now on you sign in with a code from your app."),
            )
            return redirect(names["recovery_codes"])
    return TemplateResponse(
        request,
        "volunteers/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_code_svg(device),
            "secret": _grouped_secret(device),
            "standalone": standalone,
            "layout": layout,
            "page_title": _("Set up two-step verification"),
            "header_icon": "lock",
            "two_factor_urls": names,
        },
        status=status,
    )


def _mailbox_digest(request, code: str) -> str:
    # Keyed with the secret key, the account and this session: the session's copy is no use elsewhere.
    value = f"{request.user.pk}:{request.session.session_key}:{code}"
    return salted_hmac("volunteers.two_factor.mailbox", value, algorithm="sha256").hexdigest()


def _mailbox_code_pending(request) -> dict | None:
    """The mailed code this session is waiting for, while it works (not expired, tries left)."""
    pending = request.session.get(MAILBOX_CODE_SESSION)
    if (
        not isinstance(pending, dict)
        or pending.get("user") != request.user.pk
        or pending.get("expires", 0) < time.time()
        or pending.get("tries", MAILBOX_CODE_TRIES) >= MAILBOX_CODE_TRIES
    ):
        return None
    return pending


def _mailbox_step(request, next_url: str, *, standalone: bool, layout: str):
    """Mail a one-time code to the account's address on request, then take it back."""
    user = request.user
    names = _url_names(request)
    pending = _mailbox_code_pending(request)
    sending = request.method == "POST" and request.POST.get("action") == "send"
    form = TwoFactorMailboxCodeForm(request.POST if request.method == "POST" and not sending else None)
    status = 200
    send_error = ""
    if sending:
        if not account_mail_allowed(request, user.email):
            send_error = _(
                "We have sent several codes already. Please look in your inbox, or try again later."
            )
            status = 429
        else:
            if not request.session.session_key:
                request.session.save()
            code = f"{secrets.randbelow(10**6):06d}"
            request.session[MAILBOX_CODE_SESSION] = {
                "user": user.pk,
                "digest": _mailbox_digest(request, code),
                "expires": time.time() + services.TWO_FACTOR_MAILBOX_CODE_SECONDS,
                "tries": 0,
            }
            services.two_factor_mailbox_code_send(user=user, code=code, language=get_language() or "th")
            messages.success(request, _("We have emailed you a code. It works for 10 minutes."))
            return redirect(reverse(names["setup"]) + "?" + urlencode({"next": next_url}))
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            if pending is None:
                request.session.pop(MAILBOX_CODE_SESSION, None)
                form.add_error(
                    "code",
                    _(
                        "This code no longer works: it has expired or was entered wrongly too often. "
                        "Send a new one."
                    ),
                )
            elif hmac.compare_digest(pending["digest"], _mailbox_digest(request, form.cleaned_data["code"])):
                request.session.pop(MAILBOX_CODE_SESSION, None)
                request.session[MAILBOX_PROVED_SESSION] = user.pk
                return redirect(reverse(names["setup"]) + "?" + urlencode({"next": next_url}))
            else:
                pending["tries"] += 1
                request.session[MAILBOX_CODE_SESSION] = pending
                if pending["tries"] >= MAILBOX_CODE_TRIES:
                    message = _("That code is not right, and it has been tried too often. Send a new one.")
                else:
                    message = _(
                        "That code is not right. Enter the 6-digit code from the newest email we sent you."
                    )
                form.add_error("code", message)
        pending = _mailbox_code_pending(request)
    return TemplateResponse(
        request,
        "volunteers/two_factor_mailbox.html",
        {
            "form": form,
            "next": next_url,
            "sent": pending is not None,
            "send_error": send_error,
            "email": user.email,
            "standalone": standalone,
            "layout": layout,
            "page_title": _("Set up two-step verification"),
            "header_icon": "lock",
            "two_factor_urls": names,
        },
        status=status,
    )


@never_cache
@require_GET
def recovery_codes(request):
    """The recovery codes made at setup, shown once: the session forgets them as the page is made."""
    names = _url_names(request)
    shown = request.session.pop(RECOVERY_CODES_SESSION, None)
    if not isinstance(shown, dict) or shown.get("user") != request.user.pk:
        return redirect(names["manage"])
    return TemplateResponse(
        request,
        "volunteers/two_factor_recovery_codes.html",
        {
            "layout": "wagtailadmin/generic/base.html" if _in_admin(request) else STANDALONE_LAYOUT,
            "two_factor_urls": names,
            "codes": shown["codes"],
            "next": shown.get("next") or reverse(names["manage"]),
            "page_title": _("Your recovery codes"),
            "header_icon": "lock",
        },
    )


@never_cache
def manage(request):
    """The person's own two-step verification: on or off, set up a new app, or turn it off."""
    user = request.user
    device = two_factor_device(user)
    if request.method == "POST":
        if settings.ADMIN_2FA_REQUIRED:
            messages.error(request, _("Two-step verification is required here and cannot be turned off."))
            return redirect("two_factor")
        if device is not None:
            # The device's own user row: request.user is a lazy wrapper the audit log cannot name.
            services.two_factor_devices_remove(user=device.user, actor=device.user)
        messages.success(request, _("Two-step verification is off."))
        return redirect("two_factor")
    return TemplateResponse(
        request,
        "volunteers/two_factor_manage.html",
        {
            "device": device,
            "recovery_codes_left": two_factor_recovery_codes_left(user) if device else 0,
            "required": settings.ADMIN_2FA_REQUIRED,
            "page_title": _("Two-step verification"),
            "header_icon": "lock",
        },
    )


def may_reset(actor, target) -> bool:
    """Who may reset someone else's two-step verification (a lost phone): whoever may edit the account.

    Only superusers may reset a superuser's.
    """
    if actor.is_superuser:
        return True
    return actor.has_perm(f"{target._meta.app_label}.change_user") and not target.is_superuser


@never_cache
def reset(request, user_id: int):
    """Remove another person's authenticator app, after a confirmation; they set up a new one."""
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not may_reset(request.user, target):
        raise PermissionDenied
    if request.method == "POST":
        services.two_factor_devices_remove(user=target, actor=request.user)
        messages.success(
            request, _("Two-step verification was reset. The person sets it up again at their next sign-in.")
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(
        request,
        "volunteers/two_factor_reset.html",
        {
            "target": target,
            "device": two_factor_device(target),
            "page_title": _("Reset two-step verification"),
            "header_icon": "lock",
        },
    )


@checks.register(checks.Tags.security, deploy=True)
def two_factor_required_check(app_configs, **kwargs):
    """`check --deploy` warns when the admin opens with a password alone."""
    if settings.ADMIN_2FA_REQUIRED:
        return []
    return [
        checks.Warning(
            "ADMIN_2FA_REQUIRED is off: trainers and staff can open the admin with a password alone.",
            hint="Set ADMIN_2FA_REQUIRED=true (the production default).",
            id="volunteers.W001",
        )
    ]
