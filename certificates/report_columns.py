"""The certificate columns of the staff completions report, registered with `courses.reports`."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.reports.exports import ReportColumn, register_report_column


def _latest_certificate(field: str):
    # The newest certificate for the completed course: a re-issue supersedes the older ones.
    return Subquery(
        Certificate.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course"))
        .order_by("-issued_at", "-pk")
        .values(field)[:1]
    )


def _annotate(queryset):
    return queryset.annotate(
        certificate_serial=_latest_certificate("serial"), certificate_status=_latest_certificate("status")
    )


def _prepare_status():
    # The status names are translated once per report, not once per row.
    labels = {value: str(label) for value, label in Certificate.Status.choices}
    return lambda row: labels.get(row["certificate_status"], "") if row["certificate_status"] else ""


def register() -> None:
    register_report_column(
        "completions",
        ReportColumn(
            key="certificate_serial",
            label=_("Certificate serial"),
            text=lambda row: row["certificate_serial"] or "",
            fields=("certificate_serial",),
            annotate=_annotate,
            order=200,
        ),
    )
    register_report_column(
        "completions",
        ReportColumn(
            key="certificate_status",
            label=_("Certificate status"),
            prepare=_prepare_status,
            fields=("certificate_status",),
            order=210,
        ),
    )
