"""Site-wide protections: the content security policy, private caching, idle admin sessions."""

import time

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict public policy everywhere, and the admin's own policy under /admin/.

    Wagtail's admin still relies on inline scripts and styles, so it gets a policy of its own
    instead of weakening the one that protects volunteers' pages.
    """

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the middleware with a dummy request for the page's
            # public URL; the admin request around it sets the admin's policy.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith("/admin/"):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header from the PERMISSIONS_POLICY setting (feature: allowed origins)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateResponsesMiddleware:
    """Pages shown to a signed-in person may hold personal data: no shared or browser caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        elif user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ["Cookie"])
        return response


# Wagtail's upload forms answer a refused file with the form and its message, but with status 200.
UPLOAD_VIEW_NAMES = {"wagtailimages:add", "wagtailimages:edit", "wagtaildocs:add", "wagtaildocs:edit"}


class RefusedUploadStatusMiddleware:
    """A refused upload in the Wagtail admin answers 400, as our own upload forms do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method == "POST"
            and response.status_code == 200
            and match is not None
            and match.view_name in UPLOAD_VIEW_NAMES
        ):
            form = (getattr(response, "context_data", None) or {}).get("form")
            if form is not None and form.is_bound and "file" in form.errors:
                response.status_code = 400
        return response


ADMIN_SESSION_FLAG = "admin_access"
# Set for organisation leaders (volunteers.leaders), who see members' data on the public site: their
# sessions time out as the admin's do, and then sign in again on the site's own login page.
LEADER_SESSION_FLAG = "leader_access"
LAST_ACTIVITY_KEY = "last_activity"
# Addresses that are their own key (calendar feeds), for apps that never sign in: the cookie of an
# idle admin session sent along in a browser does not turn them into the sign-in page.
SESSIONLESS_PATH_PREFIXES = ("/calendar/",)


class AdminIdleTimeoutMiddleware:
    """People who can open the Wagtail admin, and organisation leaders, are signed out after a spell
    without activity.

    Whether someone has admin access is recorded in the session when they sign in (see
    `mark_admin_sessions`), so this costs no query on the public pages volunteers use.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if request.path_info.startswith(SESSIONLESS_PATH_PREFIXES):
            session = None
        if session is not None and (session.get(ADMIN_SESSION_FLAG) or session.get(LEADER_SESSION_FLAG)):
            now = int(time.time())
            last = session.get(LAST_ACTIVITY_KEY, now)
            if now - last > settings.ADMIN_IDLE_TIMEOUT_SECONDS:
                admin = session.get(ADMIN_SESSION_FLAG)
                logout(request)
                messages.info(request, _("You were signed out after a period without activity."))
                login_url = settings.WAGTAILADMIN_LOGIN_URL if admin else settings.LOGIN_URL
                return redirect_to_login(request.get_full_path(), login_url)
            # Writing the session costs a database write, so refresh the mark once a minute at most.
            if now - last >= 60 or LAST_ACTIVITY_KEY not in session:
                session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def mark_admin_sessions(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and user.has_perm("wagtailadmin.access_admin"):
        request.session[ADMIN_SESSION_FLAG] = True
        request.session[LAST_ACTIVITY_KEY] = int(time.time())
