"""Staff views in the Wagtail admin beyond a viewset: import, bulk actions, record view."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.widgets import HeaderButton
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import chooser as snippet_chooser

from training.admin_views import ReadableInspectView
from volunteers import memberships, services
from volunteers.coordinator_scope import CountryScopedBulkActionMixin, CountryScopedChooserMixin
from volunteers.coordinators import countries_of, in_countries
from volunteers.countries import time_zone_name
from volunteers.forms import VolunteerImportForm
from volunteers.models import Organization, User, VolunteerProfile
from volunteers.records import (
    RecordAction,
    RecordSection,
    bulk_action_url,
    record_actions,
    record_sections,
    register_record_action,
    register_record_section,
)
from volunteers.registration import registration_lapsed, registration_missing
from volunteers.selectors import organization_leaders_of, person_name


class _RecordsPermissionRequired:
    """Wagtail's snippet choosers open to anyone with admin access; ours only to people who may see
    the records (a trainer must not list volunteers' names through a chooser)."""

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model_class)
        if not policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class _ChooseView(_RecordsPermissionRequired, CountryScopedChooserMixin, snippet_chooser.ChooseView):
    """The chooser's listing, for people who may see the records."""


class _ChooseResultsView(
    _RecordsPermissionRequired, CountryScopedChooserMixin, snippet_chooser.ChooseResultsView
):
    """The chooser's search results, for people who may see the records."""


class _ChosenView(_RecordsPermissionRequired, CountryScopedChooserMixin, snippet_chooser.SnippetChosenView):
    """The chosen record's summary, for people who may see the records."""


class _ChosenMultipleView(
    _RecordsPermissionRequired, CountryScopedChooserMixin, snippet_chooser.SnippetChosenMultipleView
):
    """The chosen records' summaries, for people who may see the records."""


class _CreateView(_RecordsPermissionRequired, snippet_chooser.SnippetCreateView):
    def dispatch(self, request, *args, **kwargs):
        # Without a creation form Wagtail's view fails on a POST with a server error; there is no
        # "create" tab to answer for.
        if self.creation_form_class is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RecordsChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """The snippet chooser for records with personal or staff-kept data (volunteers, organisations:
    both have a `country`, and a coordinator chooses only among their countries')."""

    choose_view_class = _ChooseView
    choose_results_view_class = _ChooseResultsView
    chosen_view_class = _ChosenView
    chosen_multiple_view_class = _ChosenMultipleView
    create_view_class = _CreateView


class VolunteerInspectView(ReadableInspectView):
    """The staff record view: the record's fields, then a section from each app that registered one."""

    template_name = "volunteers/admin/volunteer_inspect.html"

    @cached_property
    def header_buttons(self):
        next_url = self.request.get_full_path()
        return [
            HeaderButton(action.label, url=action.url(self.object, next_url), icon_name=action.icon or None)
            for action in record_actions(self.request.user, self.object)
        ]

    def get_time_zone_display_value(self) -> str:
        zone = self.object.reader_time_zone
        name = time_zone_name(zone)
        if self.object.time_zone:
            return name
        return _("%(zone)s (the usual time of the country of residence)") % {"zone": name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = [
            {"section": section, "context": section.get_context(self.object)} for section in record_sections()
        ]
        # Met once, no longer met (a required certificate expired): flagged, never de-registered.
        context["lapsed"] = registration_lapsed(self.object)
        return context


def _account_section(profile: VolunteerProfile) -> dict:
    return {
        "user": profile.user,
        "history": ModelLogEntry.objects.for_instance(profile)
        .select_related("user")
        .order_by("-timestamp")[:20],
    }


register_record_section(
    RecordSection(
        key="account",
        label=gettext_lazy("Account and history"),
        template_name="volunteers/admin/record_account.html",
        get_context=_account_section,
        order=10,
    )
)


def _organisation_section(profile: VolunteerProfile) -> dict:
    organization = profile.organization
    leaders = (
        [person_name(leader.user) for leader in organization_leaders_of(organization)] if organization else []
    )
    return {
        "profile": profile,
        "organization": organization,
        "leaders": leaders,
        "membership_by": person_name(profile.membership_decided_by) if profile.membership_decided_by else "",
        "endorsement_by": person_name(profile.endorsement_by) if profile.endorsement_by else "",
    }


register_record_section(
    RecordSection(
        key="organisation",
        label=gettext_lazy("Organisation and endorsement"),
        template_name="volunteers/admin/record_organisation.html",
        get_context=_organisation_section,
        order=5,
    )
)


def _may_change(user, profile) -> bool:
    return profile.erased_at is None and user.has_perm("volunteers.change_volunteerprofile")


register_record_action(
    RecordAction(
        key="register",
        label=gettext_lazy("Register as volunteer"),
        url=lambda profile, next_url: bulk_action_url("register", profile, next_url),
        shown=lambda user, profile: (
            _may_change(user, profile) and profile.status != VolunteerProfile.Status.REGISTERED
        ),
        icon="success",
        order=10,
    )
)
register_record_action(
    RecordAction(
        key="mark_inactive",
        label=gettext_lazy("Mark inactive"),
        url=lambda profile, next_url: bulk_action_url("mark_inactive", profile, next_url),
        shown=lambda user, profile: (
            _may_change(user, profile) and profile.status != VolunteerProfile.Status.INACTIVE
        ),
        icon="cross",
        order=20,
    )
)


def import_volunteers(request):
    """Upload a CSV of applicants and show each row's outcome."""
    if not (
        request.user.has_perm("volunteers.add_volunteerprofile")
        and request.user.has_perm("volunteers.change_volunteerprofile")
    ):
        raise PermissionDenied
    form = VolunteerImportForm(request.POST or None, request.FILES or None)
    outcomes, file_error = None, None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read(services.IMPORT_MAX_BYTES + 1)
        try:
            outcomes = services.volunteers_import_csv(
                raw=raw, actor=request.user, countries=countries_of(request.user)
            )
        except services.ImportFileError as error:
            file_error = str(error)
    elif request.method == "POST" and "file" in form.errors:
        # The file itself was refused (too large, not a CSV): said once, above the form.
        file_error = " ".join(form.errors.pop("file"))
    counts = {}
    if outcomes is not None:
        for outcome in outcomes:
            counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    status = 400 if file_error or (request.method == "POST" and not form.is_valid()) else 200
    return render(
        request,
        "volunteers/admin/import.html",
        {
            "form": form,
            "outcomes": outcomes,
            "counts": counts,
            "file_error": file_error,
            "page_title": _("Import volunteers"),
            "header_icon": "upload",
        },
        status=status,
    )


class VolunteerBulkAction(CountryScopedBulkActionMixin, SnippetBulkAction):
    """A staff action on selected volunteer records; each record is changed through a service.
    A coordinator acts only on their countries' records (the others are as if not there)."""

    models = [VolunteerProfile]
    template_name = "volunteers/admin/confirm_bulk_action.html"
    permission = "change"
    service = None
    question = ""

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission, obj
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": self.question,
            "action_label": self.display_name,
        }

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changed = sum(1 for profile in objects if cls.service(profile=profile, actor=user))
        return changed, 0

    def get_execution_context(self):
        return {"user": self.request.user}


class RegisterForm(forms.Form):
    override_reason = forms.CharField(
        label=gettext_lazy("Reason to register without every requirement"),
        help_text=gettext_lazy(
            "Needed only for people marked as missing a requirement. The audit log keeps it."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RegisterBulkAction(VolunteerBulkAction):
    display_name = gettext_lazy("Register as volunteer")
    action_type = "register"
    aria_label = gettext_lazy("Register the selected applicants as volunteers")
    question = gettext_lazy(
        "Register these people as volunteers? Each gets a volunteer number, and your name is recorded."
    )
    action_priority = 10
    template_name = "volunteers/admin/register_bulk_action.html"
    form_class = RegisterForm

    def object_context(self, obj):
        missing = registration_missing(obj) if obj.status != VolunteerProfile.Status.REGISTERED else []
        return {**super().object_context(obj), "missing": missing}

    def prepare_action(self, objects, objects_without_access):
        reason = self.cleaned_form.cleaned_data["override_reason"].strip()
        short = [
            profile
            for profile in objects
            if profile.status != VolunteerProfile.Status.REGISTERED and registration_missing(profile)
        ]
        if short and not reason:
            self.cleaned_form.add_error(
                "override_reason",
                _(
                    "Some of these people have not met every requirement (a required course, or their "
                    "organisation's endorsement). Give a reason to register them anyway."
                ),
            )
            return self.form_invalid(self.cleaned_form)
        return None

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "override_reason": self.cleaned_form.cleaned_data["override_reason"],
        }

    @classmethod
    def execute_action(cls, objects, user=None, override_reason="", **kwargs):
        changed = sum(
            1
            for profile in objects
            if services.volunteer_register(profile=profile, actor=user, override_reason=override_reason)
        )
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person registered as a volunteer.",
            "%(count)d people registered as volunteers.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class MarkInactiveBulkAction(VolunteerBulkAction):
    display_name = gettext_lazy("Mark inactive")
    action_type = "mark_inactive"
    aria_label = gettext_lazy("Mark the selected volunteers inactive")
    question = gettext_lazy("Mark these people inactive? They keep their volunteer number.")
    action_priority = 20
    service = staticmethod(services.volunteer_mark_inactive)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person marked inactive.",
            "%(count)d people marked inactive.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class EraseBulkAction(VolunteerBulkAction):
    display_name = gettext_lazy("Erase personal data")
    action_type = "erase"
    aria_label = gettext_lazy("Erase the personal data of the selected people")
    question = gettext_lazy(
        "Erase these people's personal data everywhere on the platform? Their names, contact details "
        "and account are removed for good. This cannot be undone."
    )
    action_priority = 90
    permission = "erase"
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        erased = 0
        for profile in objects:
            if profile.erased_at is None:
                services.volunteer_erase(user=profile.user, actor=user)
                erased += 1
        return erased, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "The personal data of %(count)d person was erased.",
            "The personal data of %(count)d people was erased.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class LeaderAppointForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address of the new leader"),
        help_text=gettext_lazy("The person signs in on the site with this address; they need an account."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with an account has this email address."))
        return user


def organisation_leaders(request, organization_id: int):
    """Staff make people leaders of an organisation, or end it; each change is in the audit log."""
    if not request.user.has_perm("volunteers.change_organization"):
        raise PermissionDenied
    organization = get_object_or_404(
        in_countries(Organization.objects.all(), request.user), pk=organization_id
    )
    form = LeaderAppointForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None
    )
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            leader = (
                User.objects.filter(pk=request.POST["remove"]).first()
                if request.POST["remove"].isdigit()
                else None
            )
            if leader is not None and memberships.organization_leader_remove(
                organization=organization, user=leader, actor=request.user
            ):
                messages.success(
                    request,
                    _("%(name)s is no longer a leader of this organisation.") % {"name": person_name(leader)},
                )
            return redirect("volunteers_organisation_leaders", organization_id=organization.pk)
        if form.is_valid():
            leader = form.cleaned_data["email"]
            if memberships.organization_leader_appoint(
                organization=organization, user=leader, actor=request.user
            ):
                messages.success(
                    request,
                    _("%(name)s is now a leader of this organisation.") % {"name": person_name(leader)},
                )
            return redirect("volunteers_organisation_leaders", organization_id=organization.pk)
        status = 400
    leaders = list(organization_leaders_of(organization))
    for leader in leaders:
        leader.name = person_name(leader.user)
    return render(
        request,
        "volunteers/admin/organisation_leaders.html",
        {
            "organization": organization,
            "leaders": leaders,
            "form": form,
            "page_title": _("Leaders of %(organisation)s") % {"organisation": organization},
            "header_icon": "group",
        },
        status=status,
    )
