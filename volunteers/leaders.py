"""The leader area of the public site: an organisation's leader sees its confirmed members' training,
confirms or declines who claims to belong, endorses applicants, and exports the member list.

A leader sees only the organisations they lead (anything else is a 404, never a 403 that would say
it exists), no contact details unless the member agreed, and never why a certificate was revoked.
Every look at member data, on screen or exported, goes into the audit log. The area asks for the
two-step code as the admin does, and its sessions end after the admin's idle timeout.
"""

import csv
import io
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from training.middleware import LAST_ACTIVITY_KEY, LEADER_SESSION_FLAG
from training.spreadsheets import csv_cell, xlsx_cell
from volunteers import memberships
from volunteers.members import member_columns
from volunteers.models import VolunteerProfile
from volunteers.selectors import (
    is_organization_leader,
    organization_members,
    organization_requests,
    organizations_led_by,
    two_factor_device,
)

EXPORT_FORMATS = ("csv", "xlsx")


def leader_two_factor_redirect(request) -> HttpResponseRedirect | None:
    """Where a leader must go before the area opens: their code, the setup, or nowhere (None)."""
    user = request.user
    if user.is_verified():
        return None
    if two_factor_device(user) is not None:
        target = "account_two_factor_verify"
    elif settings.ADMIN_2FA_REQUIRED:
        target = "account_two_factor_setup"
    else:
        return None
    next_url = request.get_full_path() if request.method == "GET" else reverse("organisation_home")
    return HttpResponseRedirect(reverse(target) + "?" + urlencode({"next": next_url}))


def leader_required(view):
    """Signed in, a leader of some organisation (else 404), and past the second step."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_organization_leader(request.user):
            # No longer a leader: the header stops offering the area (the flag also kept the idle
            # timeout, which a volunteer's session does not have).
            request.session.pop(LEADER_SESSION_FLAG, None)
            raise Http404
        if not request.session.get(LEADER_SESSION_FLAG):
            # Made a leader after this session signed in: the idle timeout applies from now on.
            request.session[LEADER_SESSION_FLAG] = True
            request.session.setdefault(LAST_ACTIVITY_KEY, int(timezone.now().timestamp()))
        second_step = leader_two_factor_redirect(request)
        if second_step is not None:
            return second_step
        return view(request, *args, **kwargs)

    return never_cache(login_required(guarded))


def leader_account(view):
    """The two-step pages of the public site: for signed-in leaders only (a 404 for anyone else)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_organization_leader(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(guarded)


def _led(request, organization_id: int):
    return get_object_or_404(organizations_led_by(request.user), pk=organization_id)


def _contact_shown(profile: VolunteerProfile) -> bool:
    return profile.share_contact_with_leaders


def member_rows(organization) -> tuple[list, list[VolunteerProfile]]:
    """The confirmed members with each contributed column's cell, in a fixed number of queries."""
    members = list(organization_members(organization))
    columns = member_columns()
    user_ids = [member.user_id for member in members]
    values = {column.key: column.values(user_ids) if user_ids else {} for column in columns}
    for member in members:
        member.cells = [(column, values[column.key].get(member.user_id, [])) for column in columns]
        member.contact_shown = _contact_shown(member)
    return columns, members


@require_GET
@leader_required
def organisation_home(request):
    """The organisations the person leads; with one, straight to it."""
    organizations = list(organizations_led_by(request.user))
    if len(organizations) == 1:
        return redirect("organisation_detail", organization_id=organizations[0].pk)
    return render(request, "volunteers/leader/organisation_list.html", {"organizations": organizations})


@require_GET
@leader_required
def organisation_detail(request, organization_id: int):
    organization = _led(request, organization_id)
    columns, members = member_rows(organization)
    requests = list(organization_requests(organization))
    memberships.organization_members_viewed(
        organization=organization, leader=request.user, what="page", count=len(members)
    )
    return render(
        request,
        "volunteers/leader/organisation_detail.html",
        {
            "organization": organization,
            "columns": columns,
            "members": members,
            "requests": requests,
            "decline_form": DeclineForm(),
        },
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        help_text=gettext_lazy("The applicant and staff read it."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _requester(organization, profile_id: int) -> VolunteerProfile:
    return get_object_or_404(organization_requests(organization), pk=profile_id)


@require_POST
@leader_required
def request_decide(request, organization_id: int, profile_id: int, decision: str):
    """Confirm or decline a membership request; for an applicant, endorse or decline the application."""
    organization = _led(request, organization_id)
    profile = _requester(organization, profile_id)
    applicant = profile.status == VolunteerProfile.Status.APPLICANT
    try:
        if decision == "confirm":
            memberships.membership_confirm(profile=profile, organization=organization, leader=request.user)
            messages.success(
                request,
                _("The application is endorsed. Staff can now register the volunteer.")
                if applicant
                else _("The membership is confirmed."),
            )
        elif applicant:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "volunteers/leader/decline.html",
                    {"organization": organization, "profile": profile, "decline_form": form},
                    status=400,
                )
            memberships.endorsement_decline(
                profile=profile,
                organization=organization,
                leader=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("You declined to endorse the application. The applicant is told why.")
            )
        else:
            memberships.membership_decline(profile=profile, organization=organization, leader=request.user)
            messages.success(request, _("The membership request is declined."))
    except memberships.LeaderDecisionRefused as refused:
        messages.error(request, str(refused))
    return redirect("organisation_detail", organization_id=organization.pk)


@require_GET
@leader_required
def request_decline_form(request, organization_id: int, profile_id: int):
    """The page that asks a leader why they decline an application (phones: its own page)."""
    organization = _led(request, organization_id)
    profile = _requester(organization, profile_id)
    if profile.status != VolunteerProfile.Status.APPLICANT:
        raise Http404
    return render(
        request,
        "volunteers/leader/decline.html",
        {"organization": organization, "profile": profile, "decline_form": DeclineForm()},
    )


def _export_table(columns, members) -> list[list]:
    header = [
        _("Name"),
        _("Status"),
        _("Volunteer number"),
        _("Email address"),
        _("Phone"),
        *[str(column.label) for column in columns],
    ]
    rows = [header]
    for member in members:
        rows.append(
            [
                member.display_name,
                member.get_status_display(),
                member.volunteer_number or "",
                member.user.email if member.contact_shown else "",
                member.phone if member.contact_shown else "",
                *["; ".join(cell) for _column, cell in member.cells],
            ]
        )
    return rows


@require_GET
@leader_required
def organisation_export(request, organization_id: int, export_format: str):
    """The member list as CSV or XLSX, every text cell neutralised against formulas."""
    organization = _led(request, organization_id)
    if export_format not in EXPORT_FORMATS:
        raise Http404
    columns, members = member_rows(organization)
    memberships.organization_members_viewed(
        organization=organization, leader=request.user, what=export_format, count=len(members)
    )
    table = _export_table(columns, members)
    filename = f"members-{organization.pk}-{timezone.now():%Y-%m-%d}.{export_format}"
    if export_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so spreadsheets open the UTF-8 (Thai) text correctly
        writer = csv.writer(buffer)
        for row in table:
            writer.writerow([csv_cell(cell) for cell in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="members")
        for row in table:
            sheet.append([xlsx_cell(sheet, cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
