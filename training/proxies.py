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
    """Drops the header SECURE_PROXY_SSL_HEADER names unless the peer is a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header and header[0] in request.META and not is_trusted(request.META.get("REMOTE_ADDR", "")):
            del request.META[header[0]]
        return self.get_response(request)
