"""Read paths of the volunteer register."""

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Locale

from training.content_version import content_cache, request_version
from volunteers.models import Organization, OrganizationLeader, PrivacyNoticePage, VolunteerProfile


def privacy_notice_current() -> PrivacyNoticePage | None:
    """The live privacy notice with the highest version in the default (Thai) locale."""
    return (
        PrivacyNoticePage.objects.live()
        .filter(locale=Locale.get_default())
        .order_by("-version", "-last_published_at")
        .first()
    )


def privacy_notice_current_version(request: HttpRequest | None = None) -> int | None:
    """The current notice's version: every signed-in page asks for it.

    Kept per content version (training.content_version), which any page's publish, unpublish or
    deletion changes in its own transaction: every process sees a new notice from its next request,
    whatever cache backend runs, for at most the one small read a request makes for its content
    version anyway.
    """
    version = content_cache.get_or_build(
        request_version(request), ("privacy-notice-version",), _notice_version
    )
    return version or None


def _notice_version() -> int:
    notice = privacy_notice_current()
    return notice.version if notice else 0


def privacy_notice_for_language(notice: PrivacyNoticePage) -> PrivacyNoticePage:
    """The notice's translation in the active language when one is live, else the notice itself."""
    try:
        translated = notice.get_translation(Locale.get_active())
    except (PrivacyNoticePage.DoesNotExist, Locale.DoesNotExist):
        return notice
    return translated if translated.live else notice


def organizations_for_choice() -> QuerySet[Organization]:
    return Organization.objects.filter(is_confirmed=True).order_by("name_th")


def volunteer_profiles_for_staff() -> QuerySet[VolunteerProfile]:
    return VolunteerProfile.objects.select_related("user", "organization", "registered_by")


def organization_by_name(name: str) -> Organization | None:
    name = name.strip()
    return Organization.objects.filter(Q(name_th__iexact=name) | Q(name_en__iexact=name)).first()


def two_factor_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator app (the newest, should there ever be two)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def two_factor_recovery_device(user) -> StaticDevice | None:
    """The person's recovery codes (a django-otp static device), if they were given any."""
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def two_factor_recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_devices_of(user) -> QuerySet[TOTPDevice]:
    """All the person's authenticator apps, confirmed or still being set up, oldest first."""
    return TOTPDevice.objects.filter(user=user).order_by("pk")


# --- Organisation leaders (issue 22) --------------------------------------------------------------


def organizations_led_by(user) -> QuerySet[Organization]:
    """The organisations `user` leads; empty for anyone else (and for a stranger)."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(leaders__user=user).order_by("name_th")


def is_organization_leader(user) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and OrganizationLeader.objects.filter(user=user).exists()
    )


def organization_has_leader(organization_id: int | None) -> bool:
    return (
        organization_id is not None
        and OrganizationLeader.objects.filter(organization_id=organization_id).exists()
    )


def organization_leader_ids(organization_id: int) -> list[int]:
    return list(
        OrganizationLeader.objects.filter(organization_id=organization_id).values_list("user_id", flat=True)
    )


def organization_leaders_of(organization: Organization) -> QuerySet[OrganizationLeader]:
    return (
        OrganizationLeader.objects.filter(organization=organization)
        .select_related("user__volunteer_profile", "appointed_by")
        .order_by("appointed_at")
    )


def leader_names_for(profile: VolunteerProfile) -> list[str]:
    """Who can see the member's progress: the leaders of their organisation, once it confirmed them."""
    if profile.organization_id is None or profile.membership_status != VolunteerProfile.Membership.CONFIRMED:
        return []
    return [person_name(leader.user) for leader in organization_leaders_of(profile.organization)]


def person_name(user) -> str:
    profile = getattr(user, "volunteer_profile", None)
    name = profile.display_name if profile is not None else ""
    return name or user.get_full_name() or user.email


def organization_members(organization: Organization) -> QuerySet[VolunteerProfile]:
    """The confirmed members a leader sees, with their accounts, in name order."""
    return (
        VolunteerProfile.objects.filter(
            organization=organization,
            membership_status=VolunteerProfile.Membership.CONFIRMED,
            erased_at__isnull=True,
        )
        .select_related("user")
        .order_by("given_name_th", "family_name_th", "pk")
    )


def organization_requests(organization: Organization) -> QuerySet[VolunteerProfile]:
    """People who named the organisation and wait for its leader: membership requests, and
    applications to endorse."""
    return (
        VolunteerProfile.objects.filter(
            organization=organization,
            membership_status=VolunteerProfile.Membership.REQUESTED,
            erased_at__isnull=True,
        )
        .only(
            "pk", "status", "given_name_th", "family_name_th", "given_name_en", "family_name_en", "created_at"
        )
        .order_by("created_at", "pk")
    )
