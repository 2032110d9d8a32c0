"""Two-step verification for the Wagtail admin: the sign-in code, setting up an authenticator app,
and the middleware that keeps the admin closed to a session that has not given its code.

Everyone who can open the admin (trainers, staff, superusers) is asked for a TOTP code from an
authenticator app after the password when they have set one up; with `ADMIN_2FA_REQUIRED`, those
who have none are sent to set one up first. django-otp keeps the verified device in the session
and throttles wrong codes per device.
"""

import math
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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from volunteers import services
from volunteers.forms import TwoFactorCodeForm
from volunteers.selectors import two_factor_device

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
STANDALONE_LAYOUT = "volunteers/two_factor_standalone.html"


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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


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


def _check_code(form: TwoFactorCodeForm, device: TOTPDevice, *, confirm: bool) -> int:
    """The status to answer with: 200 when the form's code is right for `device`, else 400 or 429.

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
    if confirm:
        verified = services.two_factor_device_confirm(device=device, code=code)
    else:
        verified = services.two_factor_code_verify(device=device, code=code)
    if verified:
        return 200
    form.add_error("code", str(WRONG_CODE_MESSAGE))
    return 400


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    """Ask for the code from the person's authenticator app after the password."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    device = two_factor_device(request.user)
    if device is None:
        if settings.ADMIN_2FA_REQUIRED:
            return redirect(reverse("two_factor_setup") + "?" + urlencode({"next": next_url}))
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _check_code(form, device, confirm=False) if form.is_valid() else 400
        if status == 200:
            otp_login(request, device)
            # A new session key for the raised privilege, so a key seen before it is worth nothing.
            request.session.cycle_key()
            return redirect(next_url)
    return TemplateResponse(
        request,
        "volunteers/two_factor_verify.html",
        {"form": form, "next": next_url, "page_title": _("Two-step verification")},
        status=status,
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    next_url = _next_url(request)
    if not user.is_verified() and two_factor_device(user) is not None:
        # Replacing a device needs the old one: the password alone must not be enough.
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": next_url}))
    device = services.two_factor_device_start(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _check_code(form, device, confirm=True) if form.is_valid() else 400
        if status == 200:
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(
                request,
                _("Two-step verification is on. From now on you sign in with a code from your app."),
            )
            return redirect(next_url if settings.ADMIN_2FA_REQUIRED else reverse("two_factor"))
    # Until the person has a verified device and is required to, the admin's menus would only lead
    # back here, so the page stands alone like the sign-in page.
    standalone = settings.ADMIN_2FA_REQUIRED and not user.is_verified()
    return TemplateResponse(
        request,
        "volunteers/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": _qr_code_svg(device),
            "secret": _grouped_secret(device),
            "standalone": standalone,
            "layout": STANDALONE_LAYOUT if standalone else "wagtailadmin/generic/base.html",
            "page_title": _("Set up two-step verification"),
            "header_icon": "lock",
        },
        status=status,
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
