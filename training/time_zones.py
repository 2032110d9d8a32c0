"""Whose clock a page shows (see `training.dates`): a volunteer's own pages in the zone of their
profile, everything else (certificates, the verify page, the admin, reports) in Asia/Bangkok, and
staff and trainers' Wagtail admin profile in Asia/Bangkok unless they chose another zone."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from wagtail.users.models import UserProfile

from training.dates import reader_zone_override

# Pages that show the issuer's calendar to everyone, whoever is signed in.
ISSUER_PATH_PREFIXES = ("/admin/", "/verify/", "/certificates/")


# The session keeps the zone once found, as it keeps consent: pages that show times cost no query.
# A profile saved by its owner clears it; a stale zone would still be named beside each time.
READER_ZONE_SESSION_KEY = "reader_time_zone"


def _profile_zone(request):
    def find() -> str | None:
        session = getattr(request, "session", None)
        if session is not None and READER_ZONE_SESSION_KEY in session:
            return session[READER_ZONE_SESSION_KEY] or None
        profile = getattr(request.user, "volunteer_profile", None)
        zone = profile.reader_time_zone if profile is not None else ""
        if session is not None:
            session[READER_ZONE_SESSION_KEY] = zone
        return zone or None

    return find


def forget_reader_zone(request) -> None:
    """Look the zone up afresh on the next page (after the volunteer changed their profile)."""
    request.session.pop(READER_ZONE_SESSION_KEY, None)


class ReaderTimeZoneMiddleware:
    """A signed-in volunteer's pages show times in their profile's zone (looked up only when a page
    first shows a time); the admin, certificates and the verify page keep Bangkok time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path_info.startswith(ISSUER_PATH_PREFIXES):
            return self.get_response(request)
        with reader_zone_override(_profile_zone(request)):
            return self.get_response(request)


@receiver(user_logged_in)
def staff_admin_time_zone(sender, request, user, **kwargs):
    """Staff and trainers read Wagtail's own admin screens in Bangkok time unless they chose a zone:
    Wagtail otherwise falls back to the server's UTC."""
    if not user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if not profile.current_time_zone:
        profile.current_time_zone = settings.DISPLAY_TIME_ZONE
        profile.save(update_fields=["current_time_zone"])
