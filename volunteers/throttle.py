"""Login throttling on the public and the admin login, keyed by client address and account.

Failures are counted in the cache, which production requires to be shared by every worker and app
server (Redis, or the database cache: training/checks.py); the client address comes from
`REMOTE_ADDR`, or from `X-Forwarded-For` only when the request came through one of the proxies
listed in the `TRUSTED_PROXIES` setting.

The account is named as the login form reads it: Django's form normalises the typed address with
NFKC (so `trainer@example.org` typed in fullwidth letters, U+FF54 and so on, signs in) and the
lookup ignores case. The throttle keys on the account that name resolves to, or on the NFKC,
casefolded address when there is none, so no spelling of an address has a budget of its own.
"""

import hashlib
import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from training.proxies import is_trusted, trusted_networks

logger = logging.getLogger(__name__)

THROTTLED_URL_NAMES = {"account_login", "wagtailadmin_login"}


def client_address(request) -> str:
    """The client's address: the right-most X-Forwarded-For entry not added by a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = trusted_networks()
    if not networks or not is_trusted(remote, networks):
        return remote
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([item for item in forwarded if item]):
        if not is_trusted(address, networks):
            return address
    return remote


def keyed_digest(value: str) -> str:
    # Keys hold digests, so no address or email sits in the cache in the clear.
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def login_name_normalise(username: str) -> str:
    """The typed login name as the login form reads it (NFKC), then casefolded."""
    typed = unicodedata.normalize("NFKC", str(username or "")).strip()
    return unicodedata.normalize("NFKC", typed.casefold())


def login_account(username: str) -> str:
    """What a login attempt is counted against: the account the name signs in to, else the name."""
    typed = unicodedata.normalize("NFKC", str(username or "")).strip()
    if typed and "\x00" not in typed:
        # The lookup the authentication backend makes (UserManager.get_by_natural_key).
        accounts = get_user_model()._default_manager.filter(email__iexact=typed)
        pk = accounts.values_list("pk", flat=True).first()
        if pk is not None:
            return f"user:{pk}"
    return f"name:{login_name_normalise(username)}"


def _user_account(user) -> str:
    return f"user:{user.pk}"


def _keys(request, account: str) -> list[tuple[str, int]]:
    address = client_address(request)
    return [
        (f"login-fail:ip:{keyed_digest(address)}", settings.LOGIN_FAILURES_PER_ADDRESS),
        (f"login-fail:acct:{keyed_digest(address + '|' + account)}", settings.LOGIN_FAILURE_LIMIT),
        # The ceiling for one account across every client address.
        (f"login-fail:acct-all:{keyed_digest(account)}", settings.LOGIN_FAILURES_PER_ACCOUNT),
    ]


def window_count(key: str, window: int) -> None:
    """Count one event under `key` in a window that starts at the key's first event and lasts
    `window` seconds (not a clock-aligned minute, which a burst could straddle to get twice its
    budget)."""
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)


def login_is_throttled(request, username: str) -> bool:
    keys = _keys(request, login_account(username))
    return any((cache.get(key) or 0) >= limit for key, limit in keys)


def login_failure_record(request, username: str) -> None:
    for key, _limit in _keys(request, login_account(username)):
        window_count(key, settings.LOGIN_FAILURE_WINDOW)


def login_failures_clear(request, user) -> None:
    # Only the account's count from this address: a success must not reset the count for a whole
    # address, nor the account's ceiling that failures from other addresses have raised.
    cache.delete(_keys(request, _user_account(user))[1][0])


def login_ceiling_clear(user) -> None:
    """After the password was set anew, guesses at the old one no longer hold the account shut for
    everyone (each guessing address keeps its own count)."""
    cache.delete(f"login-fail:acct-all:{keyed_digest(_user_account(user))}")


def password_guess_allowed(user) -> bool:
    """Whether `user` may have one more guess at their current password (changing a password)."""
    key = f"password-guess:{keyed_digest(_user_account(user))}"
    return (cache.get(key) or 0) < settings.PASSWORD_GUESS_LIMIT


def password_guess_failed(user) -> None:
    window_count(f"password-guess:{keyed_digest(_user_account(user))}", settings.LOGIN_FAILURE_WINDOW)


def _count_within_limits(keys: list[tuple[str, int]], window: int) -> bool:
    """Count one more event under each key; False when any key had already reached its limit."""
    if any((cache.get(key) or 0) >= limit for key, limit in keys):
        return False
    for key, _limit in keys:
        window_count(key, window)
    return True


def account_mail_allowed(request, email: str) -> bool:
    """Whether an account mail (sign-up confirmation or "you already have an account", a confirmation
    sent again, a password reset) may go out to `email` now: a few per address, more per client.

    Counted whether or not the address has an account, so the limit reveals nothing; the callers
    answer exactly the same either way.
    """
    address = client_address(request) if request is not None else ""
    keys = [
        (f"account-mail:email:{keyed_digest(login_name_normalise(email))}", settings.ACCOUNT_MAILS_PER_EMAIL),
        (f"account-mail:ip:{keyed_digest(address)}", settings.ACCOUNT_MAILS_PER_CLIENT),
    ]
    allowed = _count_within_limits(keys, settings.ACCOUNT_MAIL_WINDOW)
    if not allowed:
        logger.warning("Account mail requests over the limit; no email sent.")
    return allowed
