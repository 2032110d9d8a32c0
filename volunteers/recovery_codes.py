"""Recovery codes are kept as keyed digests, never as the codes themselves.

django-otp's static device stores its tokens as they are typed, so anyone who read the table (a
leaked backup, a curious database administrator) could sign in as any trainer or staff member
whose password they also had. The platform shows the plain codes once, when they are made, and
stores `recovery_code_digest(code)`: an HMAC of the code under a key derived from `SECRET_KEY`,
cut to the 16 characters the token column holds (64 bits, ample against collisions among ten
codes). A code typed at sign-in is digested the same way and looked up. Replacing `SECRET_KEY`
makes the codes invalid: their holders sign in with their app and make new ones.
"""

from django.utils.crypto import salted_hmac

SALT = "volunteers.two-factor.recovery-code"
DIGEST_LENGTH = 16  # django-otp's StaticToken.token is a CharField(max_length=16)


def recovery_code_digest(code: str, *, secret: str | None = None) -> str:
    """The stored form of a recovery code (typed in any case, with or without spaces)."""
    normalised = "".join(code.split()).lower()
    return salted_hmac(SALT, normalised, secret=secret, algorithm="sha256").hexdigest()[:DIGEST_LENGTH]
