"""Which peers may speak for the client: the reverse proxies listed in TRUSTED_PROXIES.

Only a request that reached the app from one of them has its `X-Forwarded-For` believed for the
client address (volunteers/throttle.py) and its `X-Forwarded-Proto` believed for HTTPS
(SECURE_PROXY_SSL_HEADER in production). From anyone else, `X-Forwarded-Proto` is removed before
Django reads it, so a client that reaches gunicorn directly over plain HTTP cannot claim HTTPS
(and so skip the redirect to HTTPS, or be handed secure cookies over plain HTTP).
"""

import ipaddress

from django.conf import settings


def trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def is_trusted(address: str, networks=None) -> bool:
    networks = trusted_networks() if networks is None else networks
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxyHeadersMiddleware:
    """Drops the header SECURE_PROXY_SSL_HEADER names unless the peer is a trusted proxy.

    A preview is the exception that is no request at all: Wagtail renders it through the middleware
    with a request it makes up (`is_dummy`) from the page's Site, "http://localhost" unless someone
    edited it, and without the scheme of the admin request it stands for. Under SECURE_SSL_REDIRECT
    that made-up request was redirected to https://localhost/..., so the editor's preview panel
    stayed empty (or, with the right host, showed the live page instead of the draft). The admin
    request it stands for came over HTTPS (the same redirect saw to that), so it is HTTPS too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header and header[0] in request.META and not is_trusted(request.META.get("REMOTE_ADDR", "")):
            del request.META[header[0]]
        if getattr(request, "is_dummy", False) and settings.SECURE_SSL_REDIRECT:
            request.META["wsgi.url_scheme"] = "https"
        return self.get_response(request)
