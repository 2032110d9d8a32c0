"""The authorization matrix's rows for certificates in the Wagtail admin: the issued list and each
certificate's pages and actions, the verify tool, the templates. See test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

#                                anonymous   A       B       trainer  staff  superuser
CERTIFICATE_ROWS = [
    # --- Admin: certificates, the verify tool, templates ----------------------------------------
    Row(
        "certificate_admin:index",
        admin("certificates/issued/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_admin:index_results",
        admin("certificates/issued/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_admin:add",
        admin("certificates/issued/new/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:edit",
        admin("certificates/issued/edit/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:delete",
        admin("certificates/issued/delete/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:history",
        admin("certificates/issued/history/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:history_results",
        admin("certificates/issued/history-results/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:usage",
        admin("certificates/issued/usage/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:inspect",
        admin("certificates/issued/inspect/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:revoke",
        admin("certificates/issued/{w.certificate.pk}/revoke/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:reissue",
        admin("certificates/issued/{w.certificate.pk}/reissue/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
        elsewhere="404 404",
    ),
    Row(
        "certificate_admin:manual_issue",
        admin("certificates/issued/issue/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_admin:verify_tool",
        admin("certificates/issued/verify/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",  # an empty form is refused
    ),
    Row(
        "certificate_templates:index",
        admin("certificates/templates/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:index_results",
        admin("certificates/templates/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:add",
        admin("certificates/templates/new/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_templates:edit",
        admin("certificates/templates/edit/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_templates:delete",
        admin("certificates/templates/delete/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied denied 200",
        post="admin-login admin-login admin-login denied denied 302",
    ),
    Row(
        "certificate_templates:history",
        admin("certificates/templates/history/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:history_results",
        admin("certificates/templates/history-results/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:usage",
        admin("certificates/templates/usage/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:copy",
        admin("certificates/templates/copy/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
]
