"""The certification application in the leader area of the public site (issue 22): a leader starts,
fills in and submits their organisation's application, adds board members and documents, reads
staff's questions and answers them. Anything of an organisation they do not lead is a 404.

Documents are streamed from the private storage by `certification_document`, to the organisation's
leaders here and to staff in the admin (volunteers/certification_admin.py); they have no public URL.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteers import certification
from volunteers.leaders import _led, leader_required
from volunteers.models import CertificationApplication, CertificationBoardMember, CertificationDocument


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = CertificationApplication
        fields = list(certification.DETAIL_FIELDS)
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "founded_on": forms.DateInput(attrs={"type": "date"}),
        }


class BoardMemberForm(forms.ModelForm):
    class Meta:
        model = CertificationBoardMember
        fields = ["name", "position", "nationality"]


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What the document is"),
        help_text=gettext_lazy("For example: the articles of association, the registration certificate."),
        max_length=200,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = certification.document_kind(upload)
        return upload


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer to staff"),
        help_text=gettext_lazy("Say what you changed or answer staff's questions."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _application(request, organization_id: int, application_id: int):
    organization = _led(request, organization_id)
    application = get_object_or_404(
        CertificationApplication.objects.select_related("organization"),
        pk=application_id,
        organization=organization,
    )
    return organization, application


@require_GET
@leader_required
def certification_home(request, organization_id: int):
    """The organisation's applications: the open one first, then those decided."""
    organization = _led(request, organization_id)
    applications = list(organization.certification_applications.all())
    return render(
        request,
        "volunteers/leader/certification_home.html",
        {
            "organization": organization,
            "applications": applications,
            "has_open": any(
                application.state in CertificationApplication.OPEN_STATES for application in applications
            ),
        },
    )


@require_POST
@leader_required
def certification_start(request, organization_id: int):
    organization = _led(request, organization_id)
    application = certification.certification_application_start(
        organization=organization, leader=request.user
    )
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


def _detail(request, organization, application, *, status=200, **forms_given):
    context = {
        "organization": organization,
        "application": application,
        "form": ApplicationForm(instance=application),
        "facts": certification.application_facts(application),
        "board_form": BoardMemberForm(),
        "document_form": DocumentForm(),
        "answer_form": AnswerForm(),
        "board_members": list(application.board_members.all()),
        "documents": list(application.documents.all()),
        "transitions": list(application.transitions.select_related("actor")),
        **forms_given,
    }
    return render(request, "volunteers/leader/certification_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@leader_required
def certification_detail(request, organization_id: int, application_id: int):
    """The application: its details (a form while the leader may change it), board, documents, and
    every step of the review with staff's messages."""
    organization, application = _application(request, organization_id, application_id)
    if request.method == "GET":
        return _detail(request, organization, application)
    form = ApplicationForm(request.POST, instance=CertificationApplication.objects.get(pk=application.pk))
    if not form.is_valid():
        return _detail(request, organization, application, form=form, status=400)
    try:
        certification.certification_application_save(
            application=application, leader=request.user, details=form.cleaned_data
        )
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, status=400)
    except ValidationError as invalid:
        form.add_error(None, invalid)
        return _detail(request, organization, application, form=form, status=400)
    messages.success(request, _("The application is saved as a draft."))
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


@require_POST
@leader_required
def certification_board_add(request, organization_id: int, application_id: int):
    organization, application = _application(request, organization_id, application_id)
    form = BoardMemberForm(request.POST)
    if not form.is_valid():
        return _detail(request, organization, application, board_form=form, status=400)
    try:
        certification.certification_board_member_add(
            application=application, leader=request.user, **form.cleaned_data
        )
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, board_form=form, status=400)
    messages.success(request, _("The board member is added."))
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


@require_POST
@leader_required
def certification_board_remove(request, organization_id: int, application_id: int, member_id: int):
    organization, application = _application(request, organization_id, application_id)
    get_object_or_404(CertificationBoardMember, pk=member_id, application=application)
    try:
        certification.certification_board_member_remove(
            application=application, leader=request.user, member_id=member_id
        )
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, status=400)
    messages.success(request, _("The board member is removed."))
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


@require_POST
@leader_required
def certification_document_add(request, organization_id: int, application_id: int):
    organization, application = _application(request, organization_id, application_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, organization, application, document_form=form, status=400)
    try:
        certification.certification_document_add(
            application=application,
            leader=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, document_form=form, status=400)
    messages.success(request, _("The document is attached."))
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


@require_POST
@leader_required
def certification_document_remove(request, organization_id: int, application_id: int, document_id: int):
    organization, application = _application(request, organization_id, application_id)
    get_object_or_404(CertificationDocument, pk=document_id, application=application)
    try:
        certification.certification_document_remove(
            application=application, leader=request.user, document_id=document_id
        )
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, status=400)
    messages.success(request, _("The document is removed."))
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)


def document_response(document: CertificationDocument) -> FileResponse:
    """The document as a download, from the private storage (never shown inline: no script runs)."""
    try:
        handle = document.file.open("rb")
    except OSError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, content_type=document.content_type, as_attachment=True, filename=document.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@leader_required
def certification_document(request, organization_id: int, application_id: int, document_id: int):
    _organization, application = _application(request, organization_id, application_id)
    document = get_object_or_404(CertificationDocument, pk=document_id, application=application)
    return document_response(document)


@require_POST
@leader_required
def certification_submit(request, organization_id: int, application_id: int):
    """Send the draft to staff, or (after staff asked for changes) the answer and the application."""
    organization, application = _application(request, organization_id, application_id)
    try:
        if application.state == CertificationApplication.State.CHANGES_REQUESTED:
            form = AnswerForm(request.POST)
            if not form.is_valid():
                return _detail(request, organization, application, answer_form=form, status=400)
            certification.certification_resubmit(
                application=application, leader=request.user, answer=form.cleaned_data["answer"]
            )
        else:
            certification.certification_submit(application=application, leader=request.user)
    except certification.CertificationRefused as refused:
        messages.error(request, str(refused))
        return _detail(request, organization, application, status=400)
    messages.success(
        request, _("The application is sent to staff. You are told when they have looked at it.")
    )
    return redirect("certification_detail", organization_id=organization.pk, application_id=application.pk)
