"""The authorization matrix's rows for the staff charts: the "Charts" report, for those who may
read the reports (staff), also with a filter and with a bad one (a 200 that explains, never a
500). The dashboard's chart panel is on the admin home, whose row is in matrix_admin. See
test_authorization_matrix.py."""

from __future__ import annotations

from tests.security.matrix_site import Row, admin

#                                anonymous   A       B       trainer  staff  superuser
CHART_ROWS = [
    Row(
        "courses_report_charts",
        admin("reports/charts/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_charts",
        lambda w: (
            f"/admin/reports/charts/?country=NO&course={w.course.pk}&run={w.run.pk}&period_from=2026-01-01"
        ),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_charts",
        admin("reports/charts/?period_from=2569-01-01&run=abc"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
]
