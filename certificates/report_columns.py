"""The certificate columns of the staff completions report, registered with `courses.reports`."""

from operator import itemgetter

from django.db.models import OuterRef, Subquery
from django.utils import timezone
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
        certificate_serial=_latest_certificate("serial"),
        certificate_status=_latest_certificate("status"),
        certificate_valid_until=_latest_certificate("valid_until"),
    )


def _prepare_status():
    # The status names are translated once per report, not once per row. A valid certificate past
    # its validity reads "Expired": staff see whose qualification lapsed beside their status.
    labels = {value: str(label) for value, label in Certificate.Status.choices}
    expired, now = str(_("Expired")), timezone.now()

    def text(row) -> str:
        status = row["certificate_status"]
        if not status:
            return ""
        valid_until = row["certificate_valid_until"]
        if status == Certificate.Status.VALID and valid_until is not None and valid_until < now:
            return expired
        return labels.get(status, "")

    return text


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
            fields=("certificate_status", "certificate_valid_until"),
            order=210,
        ),
    )
    register_report_column(
        "completions",
        ReportColumn(
            key="certificate_valid_until",
            label=_("Certificate valid until"),
            moment=itemgetter("certificate_valid_until"),
            fields=("certificate_valid_until",),
            order=195,
        ),
    )
    # A course's participants (issue 23): the status of the certificate their completion earned.
    register_report_column(
        "participants",
        ReportColumn(
            key="certificate_status",
            label=_("Certificate status"),
            prepare=_prepare_status,
            fields=("certificate_status", "certificate_valid_until"),
            annotate=_annotate,
            order=210,
        ),
    )
