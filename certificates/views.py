"""Public, machine-readable certificate endpoints (outside the language prefix)."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from certificates import openbadges
from certificates.keys import current_issuer_key
from certificates.models import IssuerKey


def issuer_info() -> openbadges.IssuerInfo:
    return openbadges.IssuerInfo(
        profile_url=f"{settings.SITE_URL}/certificates/issuer.json",
        site_url=settings.SITE_URL,
        name_th=settings.CERTIFICATE_ISSUER_NAME_TH,
        name_en=settings.CERTIFICATE_ISSUER_NAME_EN,
    )


@require_GET
@cache_control(public=True, max_age=300)
def issuer_profile(request):
    """The issuer's Open Badges Profile with every public key it has signed with."""
    current_issuer_key()  # the configured key is published before anything it signs
    keys = [(key.key_id, key.public_key_multibase) for key in IssuerKey.objects.order_by("number")]
    return JsonResponse(
        openbadges.issuer_profile(issuer_info(), keys),
        content_type="application/json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
