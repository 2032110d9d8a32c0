"""Login throttling on the public and the admin login, keyed by client address and account.

Failures are counted in the cache (shared by every app server when Redis is configured); the
client address comes from `REMOTE_ADDR`, or from `X-Forwarded-For` only when the request came
through one of the proxies listed in the `TRUSTED_PROXIES` setting.
"""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

THROTTLED_URL_NAMES = {"account_login", "wagtailadmin_login"}


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(item, strict=False) for item in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address: the right-most X-Forwarded-For entry not added by a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([item for item in forwarded if item]):
        if not _is_trusted(address, networks):
            return address
    return remote


def _digest(value: str) -> str:
    # Keys hold digests, so no address or email sits in the cache in the clear.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def _keys(request, username: str) -> list[tuple[str, int]]:
    address = client_address(request)
    return [
        (f"login-fail:ip:{_digest(address)}", settings.LOGIN_FAILURES_PER_ADDRESS),
        (
            f"login-fail:acct:{_digest(address + '|' + username.strip().lower())}",
            settings.LOGIN_FAILURE_LIMIT,
        ),
    ]


def login_is_throttled(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def login_failure_record(request, username: str) -> None:
    for key, _limit in _keys(request, username):
        if cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW)


def login_failures_clear(request, username: str) -> None:
    # Only the account key: a success must not reset the count for a whole address.
    cache.delete(_keys(request, username)[1][0])


def _count_within_limits(keys: list[tuple[str, int]], window: int) -> bool:
    """Count one more event under each key; False when any key had already reached its limit."""
    if any((cache.get(key) or 0) >= limit for key, limit in keys):
        return False
    for key, _limit in keys:
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)
    return True


def password_reset_allowed(request, email: str) -> bool:
    """Whether a reset email may go out for `email` now: a few per address, and more per client.

    Counted whether or not the address has an account, so the limit reveals nothing; the caller
    answers exactly the same either way.
    """
    address = client_address(request) if request is not None else ""
    keys = [
        (f"reset:email:{_digest(email.strip().lower())}", settings.PASSWORD_RESETS_PER_EMAIL),
        (f"reset:ip:{_digest(address)}", settings.PASSWORD_RESETS_PER_CLIENT),
    ]
    allowed = _count_within_limits(keys, settings.PASSWORD_RESET_WINDOW)
    if not allowed:
        logger.warning("Password reset requests over the limit; no email sent.")
    return allowed
