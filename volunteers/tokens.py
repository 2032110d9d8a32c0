"""Signed links sent by email: confirming an address, and setting a password (reset or invitation).

The links carry the user's id and a signature only, never the address itself.
"""

import hashlib

from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

EMAIL_CONFIRMATION_SALT = "volunteers.email-confirmation"
# Hours, not days; the banner and the expired-link page send a fresh one (account_resend_confirmation).
EMAIL_CONFIRMATION_MAX_AGE = 24 * 3600


def _email_fingerprint(email: str) -> str:
    # Binding the token to the address means a link stops working once the address changes.
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def email_confirmation_token(user) -> str:
    return signing.dumps([user.pk, _email_fingerprint(user.email)], salt=EMAIL_CONFIRMATION_SALT)


def email_confirmation_user_id(token: str) -> int | None:
    """The id of the user the token was made for, or None when it is forged, expired or garbled."""
    try:
        user_id, _fingerprint = signing.loads(
            token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return user_id if isinstance(user_id, int) else None


def email_confirmation_matches(user, token: str) -> bool:
    try:
        _user_id, fingerprint = signing.loads(
            token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return fingerprint == _email_fingerprint(user.email)


def password_set_path_args(user) -> dict[str, str]:
    """The uidb64/token pair for Django's password-reset confirmation view."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
