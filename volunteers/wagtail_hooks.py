"""Admin wiring for the volunteer register: viewsets, bulk actions, audit-log actions, the CSV import,
and the two-step verification pages."""

from urllib.parse import urlencode

import django_filters
from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets import Button, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from volunteers import (
    admin_views,
    certification,
    certification_admin,
    coordinator_admin,
    coordinators,
    two_factor,
)
from volunteers.coordinator_scope import CountryLimitedForm, CountryScopedPolicy, scoped_object_urls
from volunteers.coordinators import countries_of, country_choices_for, in_countries, sees_country
from volunteers.countries import sorted_country_choices
from volunteers.models import CertificationApplication, Organization, User, VolunteerProfile


class VolunteerPermissionPolicy(CountryScopedPolicy):
    """Volunteer records are never created or deleted by hand in the admin.

    They come from sign-up or the CSV import (which checks `add` itself), and leave only through
    erasure, which also clears the other apps' data. A country coordinator has permission only for
    the records of their countries (the instance checks of CountryScopedPolicy).
    """

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(VolunteerProfile, VolunteerPermissionPolicy(VolunteerProfile))
register_permission_policy(Organization, CountryScopedPolicy(Organization))


class VolunteerFilterSet(WagtailFilterSet):
    """The register's filters; a coordinator is offered only their countries, and the organisations
    of their countries or of their volunteers."""

    country = django_filters.ChoiceFilter(label=_("Country"), choices=sorted_country_choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VolunteerProfile.Status.choices)
    email_confirmed = django_filters.BooleanFilter(
        label=_("Email confirmed"), field_name="user__email_confirmed_at", lookup_expr="isnull", exclude=True
    )
    erasure_requested = django_filters.BooleanFilter(
        label=_("Erasure requested"), field_name="erasure_requested_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = VolunteerProfile
        fields = ["country", "organization", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = countries_of(self.request.user) if self.request is not None else None
        if countries is not None:
            self.filters["country"].extra["choices"] = country_choices_for(
                self.request.user, sorted_country_choices()
            )
            self.filters["organization"].queryset = Organization.objects.filter(
                Q(country__in=countries) | Q(volunteers__country__in=countries)
            ).distinct()


class VolunteerAdminForm(CountryLimitedForm):
    """The record's edit form. For a coordinator the organisation must be one of their countries'
    (or the one the person already belongs to), as the organisation chooser offers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organization")
        if self.countries is not None and field is not None:
            field.queryset = Organization.objects.filter(
                Q(country__in=self.countries) | Q(pk=self.instance.organization_id)
            )


# What staff may change on a record by hand (status, number and consent change only through the
# actions, which audit who did what); the record page shows these among the rest.
RECORD_FIELDS = (
    "title",
    "given_name_th",
    "family_name_th",
    "given_name_en",
    "family_name_en",
    "country",
    "city",
    "organization",
    "organization_role",
    "phone",
    "preferred_language",
    "time_zone",
)


class VolunteerViewSet(SnippetViewSet):
    model = VolunteerProfile
    icon = "group"
    menu_label = _("Volunteers")
    url_prefix = "volunteers/people"
    filterset_class = VolunteerFilterSet
    # Database search, not the full-text index: Thai has no spaces, so a name fragment must match
    # as a substring, and names stay out of the search index.
    search_backend_name = None
    search_fields = [
        "given_name_th",
        "family_name_th",
        "given_name_en",
        "family_name_en",
        "user__email",
        "volunteer_number",
    ]
    list_display = [
        "__str__",
        "volunteer_number",
        "status",
        "country",
        "organization",
        BooleanColumn("email_confirmed", label=_("Email confirmed")),
    ]
    list_per_page = 50
    list_export = [
        "volunteer_number",
        "status",
        "title",
        "given_name_th",
        "family_name_th",
        "given_name_en",
        "family_name_en",
        "email",
        "email_confirmed",
        "country",
        "city",
        "organization",
        "organization_role",
        "phone",
        "preferred_language",
        "registered_at",
        "created_at",
    ]
    export_headings = {"email": _("Email address"), "email_confirmed": _("Email confirmed")}
    export_filename = "volunteers"
    chooser_viewset_class = admin_views.RecordsChooserViewSet
    inspect_view_enabled = True
    inspect_view_class = admin_views.VolunteerInspectView
    inspect_view_fields = [
        "volunteer_number",
        "status",
        *RECORD_FIELDS,
        "registered_at",
        "registered_by",
        "status_changed_at",
        "status_changed_by",
        "consent_version",
        "consented_at",
        "erasure_requested_at",
        "erased_at",
    ]
    # Status, number and consent change only through the actions, which audit who did what.
    edit_handler = ObjectList(
        [FieldPanel(name) for name in RECORD_FIELDS],
        base_form_class=VolunteerAdminForm,
    )

    def get_queryset(self, request):
        return in_countries(VolunteerProfile.objects.select_related("user", "organization"), request.user)

    def get_urlpatterns(self):
        # Every view of one record answers 404 for a coordinator when it is of another country.
        return scoped_object_urls(super().get_urlpatterns(), self.get_queryset)


class OrganizationFilterSet(WagtailFilterSet):
    """The organisations' filters; a coordinator is offered only their countries."""

    country = django_filters.ChoiceFilter(label=_("Country"), choices=sorted_country_choices)

    class Meta:
        model = Organization
        fields = ["kind", "country", "certification_status", "is_confirmed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None and countries_of(self.request.user) is not None:
            self.filters["country"].extra["choices"] = country_choices_for(
                self.request.user, sorted_country_choices()
            )


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "site"
    menu_label = _("Organisations")
    url_prefix = "volunteers/organisations"
    chooser_viewset_class = admin_views.RecordsChooserViewSet
    search_backend_name = None
    search_fields = ["name_th", "name_en", "city"]
    list_display = [
        "__str__",
        "name_en",
        "kind",
        "country",
        "city",
        "certification_status",
        BooleanColumn("is_confirmed", label=_("Confirmed")),
    ]
    filterset_class = OrganizationFilterSet
    list_export = [
        "name_th",
        "name_en",
        "kind",
        "country",
        "city",
        "contact_email",
        "contact_phone",
        "certification_status",
        "certification_number",
        "certified_on",
        "certification_expires_on",
        "is_confirmed",
    ]
    export_filename = "organisations"
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "name_th",
                "name_en",
                "kind",
                "country",
                "city",
                "contact_email",
                "contact_phone",
                "certification_status",
                "certification_number",
                "certified_on",
                "certification_expires_on",
                "is_confirmed",
            )
        ],
        base_form_class=CountryLimitedForm,
    )

    def get_queryset(self, request):
        return in_countries(Organization.objects.all(), request.user)

    def get_urlpatterns(self):
        # Every view of one organisation answers 404 for a coordinator when it is of another country.
        return scoped_object_urls(super().get_urlpatterns(), self.get_queryset)


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("volunteers.add_volunteerprofile")


class CertificationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("volunteers.view_certificationapplication")


class VolunteerRegisterGroup(SnippetViewSetGroup):
    menu_label = _("Volunteer register")
    menu_icon = "group"
    menu_order = 250
    items = (VolunteerViewSet, OrganizationViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            ImportMenuItem(
                _("Import volunteers"), reverse("volunteers_import"), icon_name="upload", order=300
            ),
            CertificationMenuItem(
                _("Certification applications"),
                reverse("volunteers_certification_list"),
                icon_name="doc-full",
                order=310,
            ),
        ]


register_snippet(VolunteerRegisterGroup)

for action_class in (
    admin_views.RegisterBulkAction,
    admin_views.MarkInactiveBulkAction,
    admin_views.EraseBulkAction,
):
    hooks.register("register_bulk_action", action_class)


@hooks.register("before_bulk_action")
def volunteer_bulk_actions_within_countries(request, action_type, objects, action):
    """No bulk action on volunteer records (the courses' enrolment among them) acts on a record of a
    country the coordinator does not look after: it is refused as if the record did not exist. The
    register's own actions leave such records out before this (CountryScopedBulkActionMixin)."""
    if action.model is VolunteerProfile and any(
        not sees_country(request.user, obj.country) for obj in objects
    ):
        raise Http404


@hooks.register("register_admin_urls")
def volunteer_admin_urls():
    return [
        path("volunteers/import/", admin_views.import_volunteers, name="volunteers_import"),
        path(
            "volunteers/organisations/<int:organization_id>/leaders/",
            admin_views.organisation_leaders,
            name="volunteers_organisation_leaders",
        ),
        path(
            "volunteers/certification/",
            certification_admin.application_list,
            name="volunteers_certification_list",
        ),
        path(
            "volunteers/certification/<int:application_id>/",
            certification_admin.application_review,
            name="volunteers_certification_review",
        ),
        path(
            "volunteers/certification/<int:application_id>/documents/<int:document_id>/",
            certification_admin.application_document,
            name="volunteers_certification_document",
        ),
    ]


class CertificationPanel(Component):
    """The staff dashboard: applications waiting for staff, certifications ending within 90 days."""

    name = "certification"
    order = 75
    template_name = "volunteers/admin/dashboard_certification.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        # A coordinator counts and sees only their countries' organisations.
        waiting = CertificationApplication.objects.filter(state__in=CertificationApplication.IN_REVIEW_STATES)
        return {
            "waiting": in_countries(waiting, self.user, "organization__country").count(),
            "expiring": list(in_countries(certification.certifications_expiring(), self.user)[:20]),
            "list_url": reverse("volunteers_certification_list"),
        }


@hooks.register("construct_homepage_panels")
def certification_dashboard_panel(request, panels):
    if request.user.has_perm("volunteers.view_certificationapplication"):
        panels.append(CertificationPanel(request.user))


@hooks.register("register_snippet_listing_buttons")
def organisation_leaders_button(snippet, user, next_url=None):
    if (
        not isinstance(snippet, Organization)
        or not user.has_perm("volunteers.change_organization")
        or not sees_country(user, snippet.country)
    ):
        return []
    url = reverse("volunteers_organisation_leaders", args=[snippet.pk])
    return [ListingButton(_("Leaders"), url, priority=90)]


@hooks.register("register_admin_urls")
def two_factor_admin_urls():
    # The verify and setup views are exempt from the two-step redirect (volunteers.two_factor).
    return [
        path("two-step/", two_factor.manage, name="two_factor"),
        path("two-step/verify/", two_factor.verify, name="two_factor_verify"),
        path("two-step/setup/", two_factor.setup, name="two_factor_setup"),
        path("two-step/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
        path("two-step/reset/<int:user_id>/", two_factor.reset, name="two_factor_reset"),
    ]


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if not two_factor.may_reset(request_user, user):
        return []
    url = reverse("two_factor_reset", args=[user.pk])
    return [Button(_("Reset two-step verification"), url, priority=90)]


@hooks.register("register_settings_menu_item")
def two_factor_menu_item():
    return MenuItem(_("Two-step verification"), reverse("two_factor"), icon_name="lock", order=50)


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor"),
        "label": _("Two-step verification"),
        "help_text": _("Sign in with a code from an app on your phone as well as your password."),
    }


@hooks.register("register_snippet_listing_buttons")
def volunteer_row_actions(snippet, user, next_url=None):
    """Each row's own register / mark-inactive / erase, through the same confirmation as bulk actions."""
    if (
        not isinstance(snippet, VolunteerProfile)
        or not user.has_perm("volunteers.change_volunteerprofile")
        or not sees_country(user, snippet.country)
    ):
        return []
    buttons = []
    actions = [
        ("register", _("Register as volunteer"), snippet.status != VolunteerProfile.Status.REGISTERED),
        ("mark_inactive", _("Mark inactive"), snippet.status != VolunteerProfile.Status.INACTIVE),
        (
            "erase",
            _("Erase personal data"),
            snippet.erased_at is None and user.has_perm("volunteers.erase_volunteerprofile"),
        ),
    ]
    for priority, (action, label, shown) in enumerate(actions):
        if shown:
            url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action])
            url = f"{url}?{urlencode({'id': snippet.pk, 'next': next_url or ''})}"
            # The irreversible erasure sits in the "more" menu, away from the everyday actions.
            button_class = Button if action == "erase" else ListingButton
            buttons.append(button_class(label, url, priority=100 + priority))
    return buttons


@hooks.register("register_log_actions")
def volunteer_log_actions(actions):
    actions.register_action("volunteers.register", _("Register as volunteer"), _("Registered as volunteer"))
    actions.register_action("volunteers.mark_inactive", _("Mark inactive"), _("Marked inactive"))
    actions.register_action("volunteers.import", _("Import"), _("Imported from a CSV file"))
    actions.register_action("volunteers.erasure_request", _("Erasure request"), _("Asked for erasure"))
    actions.register_action("volunteers.erase", _("Erase personal data"), _("Personal data erased"))
    actions.register_action("volunteers.leader_appoint", _("Leader appointed"), _("Leader appointed"))
    actions.register_action("volunteers.leader_remove", _("Leader removed"), _("Leader removed"))
    actions.register_action(
        "volunteers.membership_confirm", _("Membership confirmed"), _("Membership confirmed by the leader")
    )
    actions.register_action(
        "volunteers.membership_decline", _("Membership declined"), _("Membership declined by the leader")
    )
    actions.register_action("volunteers.endorse", _("Endorsed"), _("Application endorsed by the leader"))
    actions.register_action(
        "volunteers.endorsement_decline",
        _("Endorsement declined"),
        _("The leader declined to endorse the application"),
    )
    actions.register_action(
        "volunteers.members_view", _("Members viewed"), _("A leader viewed or exported the member list")
    )
    for action, label, message in (
        ("start", _("Certification application started"), _("Certification application started")),
        ("save", _("Certification application saved"), _("Certification application saved")),
        ("document_add", _("Document attached"), _("A document was attached to the application")),
        ("document_remove", _("Document removed"), _("A document was removed from the application")),
        ("submit", _("Certification application submitted"), _("Certification application submitted")),
        ("resubmit", _("Certification application resubmitted"), _("The leader answered and resubmitted")),
        ("request_changes", _("Changes requested"), _("Staff asked for changes")),
        ("approve", _("Certification approved"), _("Certification application approved")),
        ("decline", _("Certification declined"), _("Certification application declined")),
    ):
        actions.register_action(f"volunteers.certification_{action}", label, message)
    actions.register_action(
        "volunteers.certified", _("Certified"), _("Certified as a public-benefit organisation")
    )
    actions.register_action(
        "volunteers.two_factor_on", _("Two-step verification on"), _("Two-step verification set up")
    )
    actions.register_action(
        "volunteers.two_factor_off", _("Two-step verification off"), _("Two-step verification removed")
    )


# Country coordinators (volunteers.coordinator_admin): the page that appoints them, and Wagtail's
# Users area closed to them.
register_permission_policy(User, coordinator_admin.AccountPermissionPolicy(User))


class CoordinatorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(coordinators.MANAGE_PERMISSION) and not coordinators.is_coordinator(
            request.user
        )


@hooks.register("register_admin_urls")
def coordinator_admin_urls():
    view = coordinator_admin.coordinators_manage
    return [path("volunteers/coordinators/", view, name="volunteers_coordinators")]


@hooks.register("register_settings_menu_item")
def coordinators_menu_item():
    return CoordinatorsMenuItem(
        _("Country coordinators"), reverse("volunteers_coordinators"), icon_name="globe", order=60
    )


@hooks.register("register_log_actions")
def coordinator_log_actions(actions):
    actions.register_action(
        "volunteers.coordinator_set", _("Country coordinator appointed"), _("Made a country coordinator")
    )
    actions.register_action(
        "volunteers.coordinator_remove",
        _("Country coordinator removed"),
        _("No longer a country coordinator"),
    )
