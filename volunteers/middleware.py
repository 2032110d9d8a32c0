"""Request guards of the account area: login throttling and consent to the current privacy notice."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from volunteers.models import VolunteerProfile
from volunteers.selectors import privacy_notice_current, privacy_notice_current_version
from volunteers.throttle import THROTTLED_URL_NAMES, login_is_throttled

CONSENT_EXEMPT_URL_NAMES = {
    "account_consent",
    "account_confirm_email",
    "set_language",
    "healthz",
    # Fetched by calendar apps; a browser that opens it needs no page of the notice in between.
    "live_calendar_feed",
    # Public pages about certificates, open to anyone: a signed-in volunteer who scans a QR code
    # sees what a stranger sees, not the notice first.
    "certificate_verify",
    "certificate_verify_json",
    "certificates_issuer",
    "certificates_status_list",
    # A person who has not (yet) accepted a new notice keeps their data rights and their account:
    # they may download their data, ask for erasure, see their profile, change their password or
    # sign out without accepting it.
    "account_data_export",
    "account_erasure_request",
    "account_profile",
    "password_change",
    "password_change_done",
    "account_logout",
}
CONSENT_EXEMPT_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")
# The notice version this session's person is known to have consented to (or has no record for).
CONSENT_SESSION_KEY = "consented_notice_version"


class LoginThrottleMiddleware:
    """Refuses login attempts (429) from an address or for an account after repeated failures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name not in THROTTLED_URL_NAMES:
            return None
        if login_is_throttled(request, request.POST.get("username", "")):
            return render(request, "volunteers/login_throttled.html", status=429)
        return None


class ConsentMiddleware:
    """Sends a signed-in volunteer to the consent page when the privacy notice has a new version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(CONSENT_EXEMPT_PREFIXES):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in CONSENT_EXEMPT_URL_NAMES:
            return None
        current_version = privacy_notice_current_version(request)
        if current_version is None or request.session.get(CONSENT_SESSION_KEY) == current_version:
            return None  # the common case costs no query
        versions = list(VolunteerProfile.objects.filter(user=user).values_list("consent_version", flat=True))
        if not versions or versions[0] == current_version:
            # Trainers and staff have no volunteer record to consent for.
            request.session[CONSENT_SESSION_KEY] = current_version
            return None
        notice = privacy_notice_current()
        if notice is None:
            return None
        if request.path in {notice.url, *(t.url for t in notice.get_translations().live())}:
            return None
        return HttpResponseRedirect(
            reverse("account_consent") + "?" + urlencode({"next": request.get_full_path()})
        )
