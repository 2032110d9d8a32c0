"""Country coordinators in the admin (issue 22): the page where staff appoint them, and the places
Wagtail itself would otherwise show a coordinator everyone.

- **Appointing**: staff with `volunteers.manage_coordinators` (not coordinators themselves) make a
  person a coordinator of some countries, change the countries, or end the role.
- **Accounts**: coordinators never manage accounts in Wagtail's Users area, whatever permissions
  their group is given; the volunteer register is where they keep their countries' people.
- **Site history**: a coordinator sees the history of pages and of the records of their countries
  only, and no entry made by a volunteer of another country (the user filter offers none either).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from volunteers import coordinators
from volunteers.countries import country_name, sorted_country_choices
from volunteers.models import Organization, User, VolunteerProfile
from volunteers.selectors import person_name


class CoordinatorForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        help_text=gettext_lazy("The person signs in to the admin with this address; they need an account."),
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries"),
        choices=sorted_country_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("They see the volunteers, reports and certificates of these countries only."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries where the programme has people or organisations first, then the rest.
        used = set(VolunteerProfile.objects.exclude(country="").values_list("country", flat=True).distinct())
        used |= set(Organization.objects.exclude(country="").values_list("country", flat=True).distinct())
        choices = sorted_country_choices()
        self.fields["countries"].choices = [c for c in choices if c[0] in used] + [
            c for c in choices if c[0] not in used
        ]

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with an account has this email address."))
        return user


def coordinators_manage(request):
    """The list of coordinators with their countries; appoint one, change their countries, or end
    the role. Every change is in the audit log (volunteers.coordinators)."""
    if not request.user.has_perm(coordinators.MANAGE_PERMISSION) or coordinators.is_coordinator(request.user):
        raise PermissionDenied
    if request.method == "POST" and "remove" in request.POST:
        _remove(request, request.POST["remove"])
        return redirect("volunteers_coordinators")
    form = CoordinatorForm(request.POST if request.method == "POST" else None, initial=_initial(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = form.cleaned_data["email"]
            try:
                coordinators.coordinator_set(
                    user=person, countries=set(form.cleaned_data["countries"]), actor=request.user
                )
            except coordinators.CoordinatorRefused as refusal:
                form.add_error("email", str(refusal))
            else:
                messages.success(
                    request,
                    _("%(name)s coordinates %(countries)s.")
                    % {
                        "name": person_name(person),
                        "countries": ", ".join(country_name(code) for code in form.cleaned_data["countries"]),
                    },
                )
                return redirect("volunteers_coordinators")
        status = 400
    people = list(coordinators.coordinators())
    for person in people:
        person.name = person_name(person)
        person.countries = sorted(country_name(row.country) for row in person.coordinator_countries.all())
    return render(
        request,
        "volunteers/admin/coordinators.html",
        {"people": people, "form": form, "page_title": _("Country coordinators"), "header_icon": "globe"},
        status=status,
    )


def _initial(request) -> dict:
    """The form filled in for "change countries" of one coordinator (?edit=<id>)."""
    edit = request.GET.get("edit", "")
    person = coordinators.coordinators().filter(pk=edit).first() if edit.isdigit() else None
    if person is None:
        return {}
    return {"email": person.email, "countries": [row.country for row in person.coordinator_countries.all()]}


def _remove(request, user_id: str) -> None:
    person = User.objects.filter(pk=user_id).first() if user_id.isdigit() else None
    if person is None:
        return
    try:
        removed = coordinators.coordinator_remove(user=person, actor=request.user)
    except coordinators.CoordinatorRefused as refusal:
        messages.error(request, str(refusal))
        return
    if removed:
        messages.success(
            request, _("%(name)s is no longer a country coordinator.") % {"name": person_name(person)}
        )


class AccountPermissionPolicy(ModelPermissionPolicy):
    """Accounts as Wagtail's Users area manages them: never by a country coordinator."""

    def user_has_permission(self, user, action):
        if coordinators.is_coordinator(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def log_entries_outside(user) -> tuple[Q, Q] | None:
    """What a limited `user` must not see in the history, as two filters to exclude: one for model
    log entries (records of other countries: the models volunteers.coordinators scopes), one for
    any entry (what a volunteer of another country did: an erasure request, a leader's decision).
    None for people who are not limited."""
    countries = coordinators.countries_of(user)
    if countries is None:
        return None
    records = Q(pk__in=[])
    for content_type, model, path in coordinators.scoped_content_types():
        inside = (
            model._default_manager.filter(**{f"{path}__in": countries})
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        records |= Q(content_type=content_type) & ~Q(object_id__in=inside)
    other_volunteers = (
        get_user_model()
        .objects.filter(volunteer_profile__isnull=False)
        .exclude(volunteer_profile__country__in=countries)
    )
    return records, Q(user__in=other_volunteers)


class CoordinatorSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        users = super().get_users_queryset()
        countries = coordinators.countries_of(self.request.user)
        if countries is None:
            return users
        return users.filter(Q(volunteer_profile__isnull=True) | Q(volunteer_profile__country__in=countries))


class CoordinatorSiteHistoryView(LogEntriesView):
    """Wagtail's site history (and its export), without what a coordinator must not see."""

    filterset_class = CoordinatorSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        outside = log_entries_outside(self.request.user)
        if outside is None:
            return queryset
        records, acts = outside
        if queryset.model is ModelLogEntry:
            return queryset.exclude(records | acts)
        return queryset.exclude(acts)
