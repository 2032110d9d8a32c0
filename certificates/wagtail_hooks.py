"""Admin wiring for certificates: the list with search and filters, staff actions, templates, audit log."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permissions import register_permission_policy

from certificates import admin_views
from certificates.models import Certificate, CertificateTemplate
from certificates.services import certificate_template_saved
from courses.models import CoursePage
from courses.reports.dashboard import month_start
from training.admin_dates import DateTimeColumn, GregorianDateRangeFilter
from training.admin_views import ReadableInspectView
from volunteers.coordinator_scope import CountryScopedPolicy, scoped_object_urls


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Certificate.Status.choices)
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.filter(locale__language_code="th").order_by("title")
    )
    issued_at = GregorianDateRangeFilter(label=_("Issued"), widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["status", "course", "issued_at"]


class CertificatePermissionPolicy(CountryScopedPolicy):
    """Certificates are never edited or deleted in forms: they change only through the actions.
    A country coordinator has permission only for the certificates of their countries' volunteers."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    Certificate, CertificatePermissionPolicy(Certificate, country_field=admin_views.HOLDER_COUNTRY)
)


def _actions_for(user, certificate: Certificate) -> list[tuple[str, str, str]]:
    actions = []
    if certificate.is_valid and user.has_perm("certificates.change_certificate"):
        actions.append((_("Revoke"), reverse("certificate_admin:revoke", args=[certificate.pk]), "cross"))
        actions.append((_("Re-issue"), reverse("certificate_admin:reissue", args=[certificate.pk]), "repeat"))
    return actions


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        # ModelViewSet has no queryset hook of its own for the index (unlike snippets): the list, its
        # search and its export keep here to a coordinator's countries.
        return admin_views.certificates_for(self.request.user).select_related("course", "volunteer")

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.request.user.has_perm("certificates.add_certificate"):
            buttons.append(
                HeaderButton(
                    _("Issue manually"), url=reverse("certificate_admin:manual_issue"), icon_name="plus"
                )
            )
        buttons.append(
            HeaderButton(
                _("Verify a certificate"), url=reverse("certificate_admin:verify_tool"), icon_name="search"
            )
        )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url, icon) in enumerate(_actions_for(self.request.user, instance)):
            buttons.append(ListingMenuItem(label, url=url, icon_name=icon, priority=50 + priority))
        return buttons


class CertificateInspectView(ReadableInspectView):
    @cached_property
    def header_more_buttons(self):
        return [
            Button(label, url=url, icon_name=icon, priority=10 + index)
            for index, (label, url, icon) in enumerate(_actions_for(self.request.user, self.object))
        ]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    name = "certificate_admin"
    url_prefix = "certificates/issued"
    icon = "doc-full"
    menu_label = _("Issued certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    filterset_class = CertificateFilterSet
    search_backend_name = None  # Thai names are matched as substrings, and stay out of the index
    search_fields = ["serial", "token", "holder_name_th", "holder_name_en", "course_title_th"]
    list_display = [
        "serial",
        "holder_name_th",
        "holder_name_en",
        "course_title_th",
        DateTimeColumn("issued_at", label=_("Issued"), sort_key="issued_at"),
        DateTimeColumn("valid_until", label=_("Valid until"), sort_key="valid_until"),
        "status",
    ]
    list_export = [
        "serial",
        "holder_name_th",
        "holder_name_en",
        "course_title_th",
        "issued_at",
        "valid_until",
        "status",
    ]
    export_filename = "certificates"
    # Required by ModelViewSet; the permission policy refuses the add and edit forms anyway.
    form_fields = ["status_reason"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "serial",
        "status",
        "status_reason",
        "status_changed_at",
        "holder_name_th",
        "holder_name_en",
        "course_title_th",
        "course_title_en",
        "issued_at",
        "valid_until",
        "renews_serial",
        "manual_reason",
        "template_version",
        "pdf_sha256",
        "superseded_by",
        "name_hidden",
    ]
    ordering = ["-issued_at"]

    def get_queryset(self, request):
        # The certificates whose own pages a coordinator may open (scoped_object_urls below).
        return admin_views.certificates_for(request.user)

    def get_urlpatterns(self):
        # Every view of one certificate answers 404 for a coordinator when its holder is of another
        # country (the views below check it again themselves).
        return scoped_object_urls(
            super().get_urlpatterns()
            + [
                path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
                path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
                path("issue/", admin_views.manual_issue, name="manual_issue"),
                path("verify/", admin_views.verify_tool, name="verify_tool"),
            ],
            self.get_queryset,
        )


class TemplateCreateView(CreateView):
    def save_instance(self):
        return certificate_template_saved(template=super().save_instance(), actor=self.request.user)


class TemplateEditView(EditView):
    def save_instance(self):
        return certificate_template_saved(template=super().save_instance(), actor=self.request.user)


class CertificateTemplateViewSet(ModelViewSet):
    model = CertificateTemplate
    name = "certificate_templates"
    url_prefix = "certificates/templates"
    icon = "form"
    menu_label = _("Certificate templates")
    add_view_class = TemplateCreateView
    edit_view_class = TemplateEditView
    form_fields = ["name", "course", "signatory_name", "signatory_title", "signature_image", "logo_image"]
    list_display = [
        "name",
        "course",
        "signatory_name",
        "version",
        DateTimeColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
    ]


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 300
    items = (CertificateViewSet, CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CertificatesGroup()


class VerifyToolMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.view_certificate")


@hooks.register("register_admin_menu_item")
def verify_tool_menu_item():
    return VerifyToolMenuItem(
        _("Verify a certificate"), reverse("certificate_admin:verify_tool"), icon_name="search", order=310
    )


@hooks.register("register_log_actions")
def certificate_log_actions(actions):
    actions.register_action("certificates.issue", _("Issue certificate"), _("Certificate issued"))
    actions.register_action(
        "certificates.issue_manual", _("Issue certificate manually"), _("Certificate issued manually")
    )
    actions.register_action("certificates.revoke", _("Revoke certificate"), _("Certificate revoked"))
    actions.register_action("certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued"))
    actions.register_action(
        "certificates.renew", _("Renew certificate"), _("Certificate renewed by a refresher course")
    )
    actions.register_action(
        "certificates.template_saved", _("Save certificate template"), _("Certificate template saved")
    )


class CertificatesThisMonthPanel(Component):
    name = "certificates_this_month"
    order = 70
    template_name = "certificates/admin/dashboard_certificates.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        start = month_start()
        # A coordinator counts only their countries' volunteers' certificates.
        issued = admin_views.certificates_for(self.user).filter(issued_at__gte=start)
        return {
            "issued": issued.count(),
            "valid": issued.filter(status=Certificate.Status.VALID).count(),
            "list_url": reverse("certificate_admin:index"),
        }


@hooks.register("construct_homepage_panels")
def certificates_dashboard_panel(request, panels):
    if request.user.has_perm("certificates.view_certificate"):
        panels.append(CertificatesThisMonthPanel(request.user))
