"""The admin's "Export course" (a download) and "Import course" (an upload) for lead trainers and
staff (courses.transfer.access). Thin: the package work is in export and importer."""

from __future__ import annotations

import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from courses.authoring.models import CoursePage
from courses.transfer.access import may_transfer_courses
from courses.transfer.export import ExportError, course_export
from courses.transfer.format import Limits, PackageRefused
from courses.transfer.importer import course_import

SPOOL_BYTES = 16 * 1024 * 1024


class CourseImportForm(forms.Form):
    package = forms.FileField(
        label=gettext_lazy("Course package"),
        help_text=gettext_lazy("A .zip file written by “Export course” on this or another site."),
    )

    def clean_package(self):
        package = self.cleaned_data["package"]
        if not package.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file written by “Export course”."))
        if package.size > Limits.from_settings().total_bytes:
            raise forms.ValidationError(_("The file is too large for a course package."))
        return package


def _require_transfer_right(request) -> None:
    if not may_transfer_courses(request.user):
        raise PermissionDenied


@require_safe
def course_export_view(request, page_id: int):
    """Download the course's package."""
    _require_transfer_right(request)
    course = CoursePage.objects.filter(pk=page_id, locale__language_code=settings.LANGUAGE_CODE).first()
    if course is None:
        raise Http404
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        course_export(course, out)
    except ExportError as error:
        out.close()
        messages.error(request, _("This course cannot be exported: %(reason)s") % {"reason": error})
        return redirect("wagtailadmin_explore", course.pk)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=f"{course.slug}.zip", content_type="application/zip"
    )


def course_import_view(request):
    """Upload a package: its new and changed pages become drafts submitted for review."""
    _require_transfer_right(request)
    form = CourseImportForm(request.POST or None, request.FILES or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            result = course_import(form.cleaned_data["package"], user=request.user)
        except PackageRefused as error:
            refusal = error
        else:
            messages.success(
                request,
                _(
                    "“%(course)s” imported: %(created)d pages created, %(changed)d changed, %(unchanged)d "
                    "unchanged; %(submitted)d submitted for review."
                )
                % {
                    "course": result.course.title,
                    "created": len(result.created),
                    "changed": len(result.changed),
                    "unchanged": result.unchanged,
                    "submitted": result.submitted,
                },
            )
            if result.bank_created or result.bank_reused:
                messages.info(
                    request,
                    _("Question bank: %(created)d questions created, %(reused)d already here.")
                    % {"created": len(result.bank_created), "reused": result.bank_reused},
                )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("wagtailadmin_explore", result.course.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/admin/course_import.html",
        {
            "form": form,
            "refusal": refusal,
            "page_title": _("Import course"),
            "header_icon": "upload",
        },
        status=status,
    )
