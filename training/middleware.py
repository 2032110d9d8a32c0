"""Response headers that protect volunteers' data: the content security policy and caching."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict public policy everywhere, and the admin's own policy under /admin/.

    Wagtail's admin still relies on inline scripts and styles, so it gets a policy of its own
    instead of weakening the one that protects volunteers' pages.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith("/admin/"):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


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
