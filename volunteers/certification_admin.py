"""Staff's side of the certification application (issue 22), in the Wagtail admin: the applications
by state, a review page with everything the leader sent and the documents, and the decisions (ask
for changes, approve with a number and an expiry date, decline with a reason) through the state
machine of volunteers/certification.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import ModelLogEntry

from volunteers import certification
from volunteers.certification_views import document_response
from volunteers.coordinators import in_countries
from volunteers.models import CertificationApplication, CertificationDocument

State = CertificationApplication.State


def _may_view(request) -> None:
    if not request.user.has_perm("volunteers.view_certificationapplication"):
        raise PermissionDenied


def _applications(request):
    """The applications the person may see: a country coordinator only their countries'
    organisations' (an application belongs to its organisation, whose country counts)."""
    return in_countries(CertificationApplication.objects.all(), request.user, "organization__country")


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What should the leader change or answer?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApproveForm(forms.Form):
    certification_number = forms.CharField(label=gettext_lazy("Certification number"), max_length=60)
    expires_on = forms.DateField(
        label=gettext_lazy("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        help_text=gettext_lazy("The organisation's leaders read it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


ACTIONS = {
    "request_changes": RequestChangesForm,
    "approve": ApproveForm,
    "decline": DeclineForm,
}


@require_GET
def application_list(request):
    """The applications, those waiting for staff first; a state filter in the query string."""
    _may_view(request)
    state = request.GET.get("state", "")
    applications = _applications(request).select_related("organization").exclude(state=State.DRAFT)
    if state in State.values:
        applications = _applications(request).select_related("organization").filter(state=state)
    else:
        state = ""
        applications = applications.order_by("-submitted_at", "-pk")
    return render(
        request,
        "volunteers/admin/certification_list.html",
        {
            "applications": applications[:200],
            "state": state,
            "states": State.choices,
            "expiring": list(in_countries(certification.certifications_expiring(), request.user)),
            "page_title": _("Certification applications"),
            "header_icon": "doc-full",
        },
    )


def _decide(request, application, action: str, form) -> None:
    data = form.cleaned_data
    if action == "request_changes":
        certification.certification_request_changes(
            application=application, actor=request.user, message=data["message"]
        )
        messages.success(request, _("The leaders are asked for changes."))
    elif action == "approve":
        certification.certification_approve(
            application=application,
            actor=request.user,
            certification_number=data["certification_number"],
            expires_on=data["expires_on"],
        )
        messages.success(request, _("The organisation is certified."))
    else:
        certification.certification_decline(
            application=application, actor=request.user, reason=data["reason"]
        )
        messages.success(request, _("The application is declined."))


@require_http_methods(["GET", "POST"])
def application_review(request, application_id: int):
    """Everything the leader sent, the steps so far, and the decisions while it is in review."""
    _may_view(request)
    application = get_object_or_404(
        _applications(request).select_related("organization", "created_by"), pk=application_id
    )
    forms_by_action = {action: form_class(prefix=action) for action, form_class in ACTIONS.items()}
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("volunteers.change_certificationapplication"):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            status = 400
            messages.error(request, _("Choose what to do with the application."))
        else:
            form = ACTIONS[action](request.POST, prefix=action)
            forms_by_action[action] = form
            if form.is_valid():
                try:
                    _decide(request, application, action, form)
                    return redirect("volunteers_certification_review", application_id=application.pk)
                except certification.CertificationRefused as refused:
                    form.add_error(None, str(refused))
            status = 400
    return render(
        request,
        "volunteers/admin/certification_review.html",
        {
            "application": application,
            "facts": certification.application_facts(application),
            "board_members": list(application.board_members.all()),
            "documents": list(application.documents.all()),
            "transitions": list(application.transitions.select_related("actor")),
            "history": ModelLogEntry.objects.for_instance(application)
            .select_related("user")
            .order_by("timestamp", "pk"),
            "forms": forms_by_action,
            "may_decide": application.is_in_review
            and request.user.has_perm("volunteers.change_certificationapplication"),
            "page_title": _("Certification application: %(organisation)s")
            % {"organisation": application.organization},
            "header_icon": "doc-full",
        },
        status=status,
    )


@require_GET
def application_document(request, application_id: int, document_id: int):
    _may_view(request)
    document = get_object_or_404(
        CertificationDocument,
        pk=document_id,
        application__in=_applications(request).filter(pk=application_id),
    )
    return document_response(document)
