"""Staff actions on certificates in the Wagtail admin: revoke, re-issue, issue manually, verify."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.forms import ManualIssueForm, ReasonForm, VerifyToolForm
from certificates.models import Certificate
from certificates.selectors import certificate_by_token
from volunteers.coordinator_scope import country_of
from volunteers.coordinators import in_countries, sees_country

TEMPLATE = "certificates/admin/action_form.html"
# A certificate is of the country its holder lives in (their volunteer record's country).
HOLDER_COUNTRY = "volunteer__volunteer_profile__country"


def certificates_for(user):
    """The certificates `user` may see in the admin: a country coordinator only those of their
    countries' volunteers."""
    return in_countries(Certificate.objects.all(), user, HOLDER_COUNTRY)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(f"certificates.{permission}"):
        raise PermissionDenied


def _inspect_url(certificate: Certificate) -> str:
    return reverse("certificate_admin:inspect", args=[certificate.pk])


def revoke(request, pk: int):
    _require(request, "change_certificate")
    certificate = get_object_or_404(certificates_for(request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Certificate %(serial)s is revoked.") % {"serial": certificate.serial}
            )
        return redirect(_inspect_url(certificate))
    return render(
        request,
        TEMPLATE,
        {
            "page_title": _("Revoke certificate %(serial)s") % {"serial": certificate.serial},
            "certificate": certificate,
            "form": form,
            "submit_label": _("Revoke"),
            "danger": True,
        },
    )


def reissue(request, pk: int):
    _require(request, "change_certificate")
    certificate = get_object_or_404(certificates_for(request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.certificate_reissue(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.CertificateError as error:
            messages.error(request, str(error))
            return redirect(_inspect_url(certificate))
        messages.success(
            request,
            _("Certificate %(new)s replaces %(old)s.") % {"new": new.serial, "old": certificate.serial},
        )
        return redirect(_inspect_url(new))
    return render(
        request,
        TEMPLATE,
        {
            "page_title": _("Re-issue certificate %(serial)s") % {"serial": certificate.serial},
            "intro": _(
                "The new certificate prints the holder's current names from their volunteer record. "
                "This one becomes superseded and says so on its verification page."
            ),
            "certificate": certificate,
            "form": form,
            "submit_label": _("Re-issue"),
        },
    )


def manual_issue(request):
    _require(request, "add_certificate")
    form = ManualIssueForm(request.POST or None, for_user=request.user)
    if request.method == "POST" and form.is_valid():
        certificate = services.certificate_issue(
            volunteer=form.volunteer,
            course=form.cleaned_data["course"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Certificate %(serial)s is issued.") % {"serial": certificate.serial})
        return redirect(_inspect_url(certificate))
    return render(
        request,
        TEMPLATE,
        {
            "page_title": _("Issue a certificate manually"),
            "intro": _(
                "For a completion recorded outside the platform. If the volunteer already holds a valid "
                "certificate for the course, that one is shown instead."
            )
            + " "
            + _("One that has expired is renewed: the new certificate supersedes it."),
            "form": form,
            "submit_label": _("Issue certificate"),
        },
    )


def verify_tool(request):
    """Find a certificate by its code, serial or PDF file; show its status, holder and history."""
    _require(request, "view_certificate")
    form = VerifyToolForm(request.POST or None, request.FILES or None)
    certificate = None
    searched = False
    pdf_checked = False
    if request.method == "POST" and form.is_valid():
        searched = True
        code = form.cleaned_data.get("code", "").strip()
        upload = form.cleaned_data.get("pdf")
        if upload:
            pdf_checked = True
            certificate = services.pdf_matches(data=upload.read())
        elif code:
            certificate = Certificate.objects.filter(serial__iexact=code).first() or certificate_by_token(
                code
            )
    # A certificate of a volunteer of another country is neither shown nor called unknown: the
    # coordinator is told it exists and is not theirs to look at (the public page says as much).
    elsewhere = certificate is not None and not sees_country(
        request.user, country_of(certificate, HOLDER_COUNTRY)
    )
    if elsewhere:
        certificate = None
    history = []
    if certificate is not None:
        history = (
            ModelLogEntry.objects.for_instance(certificate).select_related("user").order_by("-timestamp")
        )
    return render(
        request,
        "certificates/admin/verify_tool.html",
        {
            "page_title": _("Verify a certificate"),
            "form": form,
            "certificate": certificate,
            "searched": searched,
            "elsewhere": elsewhere,
            "pdf_checked": pdf_checked,
            "history": history,
            "profile": getattr(certificate.volunteer, "volunteer_profile", None) if certificate else None,
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
