"""Certificate pages: the public verification page and JSON, the PDF for its holder, "My certificates"."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from certificates import credentials, openbadges
from certificates.expiry import REMINDER_DAYS
from certificates.keys import current_issuer_key, signing_key
from certificates.models import Certificate, IssuerKey
from certificates.selectors import (
    certificate_by_token,
    certificate_state,
    holders_certificates,
    revoked_status_indexes,
    status_list_size,
    verify_page_cache_key,
)
from certificates.services import (
    certificate_pdf_bytes,
    certificate_set_name_hidden,
    issuer_info,
    status_list_url,
)
from volunteers.throttle import client_address, keyed_digest, window_count
from volunteers.two_factor import two_factor_redirect

VERIFY_MISSES_PER_MINUTE = 30
VERIFY_MISS_WINDOW_SECONDS = 60
VERIFY_PAGE_CACHE_SECONDS = 3600
JSON_PARAMS = {"ensure_ascii": False, "indent": 2}


def _json(document: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(document, status=status, json_dumps_params=JSON_PARAMS)


def _miss_key(request) -> str:
    return f"verify-miss:{keyed_digest(client_address(request))}"


def _too_many_misses(request) -> bool:
    return _over_miss_limit(cache.get(_miss_key(request)))


def _over_miss_limit(misses: int | None) -> bool:
    return (misses or 0) >= VERIFY_MISSES_PER_MINUTE


def _throttled(request) -> HttpResponse:
    response = render(request, "certificates/verify_throttled.html", status=429)
    response["Retry-After"] = str(VERIFY_MISS_WINDOW_SECONDS)
    return response


def _record_miss(request) -> None:
    window_count(_miss_key(request), VERIFY_MISS_WINDOW_SECONDS)


def _lookup(request, token: str, *, with_credential: bool = True) -> Certificate | HttpResponse:
    """The certificate, or the 429/404 answer; misses are counted per client address."""
    if _too_many_misses(request):
        return _throttled(request)
    certificate = certificate_by_token(token, with_credential=with_credential)
    if certificate is None:
        _record_miss(request)
        return render(request, "certificates/verify_not_found.html", status=404)
    return certificate


def masked(name: str) -> str:
    """First letter of each word, the rest hidden: "สมหญิง ใจดี" -> "ส••••• ใ•••"."""
    return " ".join(word[:1] + "•" * max(len(word) - 1, 2) for word in name.split())


def _verify_context(certificate: Certificate) -> dict:
    name_th, name_en = certificate.holder_name_th, certificate.holder_name_en
    if certificate.name_hidden:
        name_th, name_en = masked(name_th), masked(name_en)
    successor = certificate.superseded_by if certificate.status == Certificate.Status.SUPERSEDED else None
    return {
        "certificate": certificate,
        "public_status": certificate.public_status,
        # Renewed (by a refresher course), rather than re-issued by staff: the successor says so.
        "renewed": bool(successor and successor.renews_serial),
        "name_th": name_th,
        "name_en": name_en,
        "issuer_name_th": certificate.snapshot.get("issuer_name_th", settings.CERTIFICATE_ISSUER_NAME_TH),
        "issuer_name_en": certificate.snapshot.get("issuer_name_en", settings.CERTIFICATE_ISSUER_NAME_EN),
    }


@require_safe
def verify_page(request, token: str):
    """Public, in Thai and English side by side: status, name as printed, course, date, issuer.

    For visitors without a session the rendered page is cached under the certificate's state, so a
    revocation, re-issue, erasure or name change shows at once, and a scan costs one small query
    and one cache round trip (the client's misses and the page are read together). The state
    includes whether the certificate is past its `valid_until` now, so a page cached while it was
    valid is not served after it expired.
    """
    anonymous = not request.user.is_authenticated
    # One entry per certificate, holding the state it was rendered for: a change replaces it, and
    # erasure deletes it (certificates.services.verify_page_forget), so no old page lingers.
    miss_key, key = _miss_key(request), verify_page_cache_key(token)
    found = cache.get_many([miss_key, key] if anonymous else [miss_key])
    if _over_miss_limit(found.get(miss_key)):
        return _throttled(request)
    state = certificate_state(token)
    if state is None:
        _record_miss(request)
        return render(request, "certificates/verify_not_found.html", status=404)
    fingerprint = hashlib.sha256(repr(tuple(state)).encode()).hexdigest()[:32]
    cached = found.get(key)
    html = cached[1] if isinstance(cached, tuple) and cached[0] == fingerprint else None
    if html is None:
        certificate = certificate_by_token(token, with_credential=False)
        html = render_to_string("certificates/verify.html", _verify_context(certificate), request=request)
        if anonymous:
            cache.set(key, (fingerprint, html), VERIFY_PAGE_CACHE_SECONDS)
    response = HttpResponse(html)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def verify_json(request, token: str):
    """The signed Open Badges 3.0 credential; gone once the holder's data was erased."""
    found = _lookup(request, token)
    if isinstance(found, HttpResponse):
        return _json({"error": "not found"}, status=found.status_code)
    if found.credential is None:
        return _json({"error": "withdrawn", "status": found.status}, status=410)
    response = _json(found.credential)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@cache_control(public=True, max_age=300)
def issuer_profile(request):
    """The issuer's Open Badges Profile with every public key it has signed with."""
    current_issuer_key()  # the configured key is published before anything it signs
    keys = [(key.key_id, key.public_key_multibase) for key in IssuerKey.objects.order_by("number")]
    return _json(openbadges.issuer_profile(issuer_info(), keys))


@require_safe
@cache_control(public=True, max_age=60)
def revocation_list(request):
    """A signed Bitstring Status List; the bit of every certificate that is no longer valid is set."""
    key_record = current_issuer_key()
    issuer = issuer_info()
    now = timezone.now()
    document = openbadges.status_list_credential(
        issuer,
        url=status_list_url(),
        encoded_list=credentials.status_list_encode(revoked_status_indexes(), size=status_list_size()),
        valid_from=now,
    )
    signed = credentials.sign(
        document,
        signing_key(),
        verification_method=f"{issuer.profile_url}#{key_record.key_id}",
        created=openbadges.iso_utc(now),
    )
    signed["proof"] = [signed["proof"]]
    return _json(signed)


@never_cache
@login_required
@require_GET
def certificate_pdf(request, token: str):
    """The PDF, for its holder and for staff only; rendered on demand when storage has none. Only a
    valid certificate's PDF is given to its holder."""
    certificate = certificate_by_token(token)
    if certificate is None:
        raise Http404
    is_holder = certificate.volunteer_id == request.user.pk
    if not (is_holder or request.user.has_perm("certificates.view_certificate")):
        raise Http404  # never confirm that someone else's certificate exists
    if not is_holder:
        # Staff open other people's certificates with the same second factor as the admin.
        pending = two_factor_redirect(request)
        if pending is not None:
            return pending
    if certificate.status == Certificate.Status.WITHDRAWN:
        raise Http404
    if is_holder and certificate.status != Certificate.Status.VALID:
        # Printed, a revoked or replaced certificate would look valid: its holder gets the reason
        # instead. Staff still open it, for the record.
        return render(
            request, "certificates/my_certificate_not_valid.html", {"certificate": certificate}, status=410
        )
    filename = f"{certificate.serial}.pdf"
    if certificate.pdf:
        try:
            return FileResponse(
                certificate.pdf.open("rb"),
                content_type="application/pdf",
                as_attachment=True,
                filename=filename,
            )
        except OSError:
            pass  # storage unavailable: render it instead
    response = HttpResponse(certificate_pdf_bytes(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def my_certificates(request):
    """The holder's certificates; one that expires within 60 days, or has expired, offers its
    renewal (the course's refresher course)."""
    renew_from = timezone.now() + timedelta(days=max(REMINDER_DAYS))
    return render(
        request,
        "certificates/my_certificates.html",
        {
            "certificates": holders_certificates(request.user, renew_from=renew_from),
            "renew_from": renew_from,
        },
    )


@login_required
@require_POST
def certificate_name_visibility(request, token: str):
    certificate = get_object_or_404(Certificate, token=token, volunteer=request.user)
    hidden = request.POST.get("hidden") == "1"
    certificate_set_name_hidden(certificate=certificate, hidden=hidden)
    messages.success(
        request,
        _("Your name is now masked on the public page.")
        if hidden
        else _("Your name is now shown on the public page."),
    )
    return HttpResponseRedirect(reverse("my_certificates"))
