"""Evaluation results in the Wagtail admin: staff read every course's, trainers those of the courses
they may edit. Per country and period (closed quarters, years or all), with a bar chart drawn on
the server (inline SVG, no script) and CSV and XLSX exports through the shared cell writer; each
export is recorded in the audit log. Only what `suppression` allows is ever shown or exported; a
country coordinator's results are of their countries' answers, over everyone's blocks.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from wagtail.log_actions import log
from wagtail.snippets.views import snippets as snippet_views

from courses.authoring.models import CoursePage
from courses.authoring.selectors import default_locale_page
from courses.evaluations.aggregates import course_results, export_rows, quarter_label
from courses.evaluations.models import EvaluationAnswer
from courses.evaluations.selectors import evaluation_results_courses, user_may_read_results
from courses.evaluations.suppression import Filter, current_quarter_start, quarter_of
from training.admin_views import audited_user
from training.spreadsheets import csv_cell, xlsx_cell
from volunteers.coordinators import countries_of
from volunteers.countries import country_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today():
    return timezone.now().astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).date()


@require_safe
def results_index(request: HttpRequest) -> HttpResponse:
    scope = evaluation_results_courses(request.user)
    courses = CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")
    if scope is not None:
        courses = courses.filter(pk__in=scope.values("pk"))
    courses = courses.filter(
        Q(evaluation_required=True) | Q(pk__in=EvaluationAnswer.objects.values("course_id"))
    )
    return render(
        request,
        "courses/admin/evaluation_index.html",
        {"courses": courses, "page_title": _("Course evaluations"), "header_icon": "pick"},
    )


class ResultsFilterForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)

    def __init__(self, *args, countries, quarters, language, all_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", all_label)] + [
            (code or "-", country_name(code, language) if code else _("Not given")) for code in countries
        ]
        years = sorted({year for year, _number in quarters})
        self.fields["period"].choices = (
            [("", _("All closed quarters"))]
            + [(str(year), quarter_label((year, 0), language)) for year in years]
            + [(f"{year}-Q{number}", quarter_label((year, number), language)) for year, number in quarters]
        )

    def wanted(self) -> Filter:
        country = self.cleaned_data.get("country") or None
        period = self.cleaned_data.get("period") or ""
        if country == "-":
            country = ""
        if not period:
            return Filter(country, None)
        if "-Q" in period:
            year, number = period.split("-Q")
            return Filter(country, (int(year), int(number)))
        return Filter(country, (int(period), 0))


def _course_for(request: HttpRequest, course_id: int) -> CoursePage:
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise Http404(_("This course does not exist."))
    course = default_locale_page(course)
    if not user_may_read_results(request.user, course):
        raise PermissionDenied
    return course


def _all_countries(user) -> str:
    """The total's label: a country coordinator's total covers only their countries."""
    return _("All countries") if countries_of(user) is None else _("All your countries")


@require_safe
def results_view(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course_for(request, course_id)
    language = get_language() or "th"
    today = _today()
    countries = countries_of(request.user)
    everything = course_results(
        course=course, wanted=Filter(), language=language, today=today, countries=countries
    )
    form = ResultsFilterForm(
        request.GET or None,
        countries=everything.countries,
        quarters=everything.quarters,
        language=language,
        all_label=_all_countries(request.user),
    )
    if form.is_bound and not form.is_valid():
        return _render(request, course, everything, form, status=400, today=today)
    results = (
        course_results(
            course=course, wanted=form.wanted(), language=language, today=today, countries=countries
        )
        if form.is_bound
        else everything
    )
    export = request.GET.get("export", "")
    if export:
        if export not in ("csv", "xlsx"):
            return _render(request, course, results, form, status=400, today=today, bad_format=True)
        return _export(request, course, results, form, export, language)
    return _render(request, course, results, form, status=200, today=today)


def _render(request, course, results, form, *, status, today, bad_format=False):
    language = get_language() or "th"
    query = request.GET.copy()
    query.pop("export", None)
    columns = [quarter_label(quarter, language) for quarter in results.quarters] + [_("All closed quarters")]
    rows = [
        (
            country_name(code, language)
            if code
            else (_all_countries(request.user) if code is None else _("Not given")),
            counts,
        )
        for code, counts in results.table
    ]
    return render(
        request,
        "courses/admin/evaluation_results.html",
        {
            "course": course,
            "results": results,
            "form": form,
            "columns": columns,
            "rows": rows,
            "query": query.urlencode(),
            "bad_format": bad_format,
            "open_from": current_quarter_start(today),
            "open_quarter": quarter_label(quarter_of(today), language),
            "page_title": _("Evaluation results"),
            "header_icon": "pick",
        },
        status=status,
    )


def _labels(form: ResultsFilterForm) -> tuple[str, str]:
    data = form.cleaned_data if form.is_bound else {}
    period = dict(form.fields["period"].choices).get(data.get("period", ""), "")
    country = dict(form.fields["country"].choices).get(data.get("country", ""), "")
    return str(period), str(country)


def _export(request, course, results, form, export_format: str, language: str) -> HttpResponse:
    period_label, country_label = _labels(form)
    rows = export_rows(results, period_label=period_label, country_label=country_label)
    actor = audited_user(request.user)
    log(
        actor,
        "courses.evaluation_export",
        user=actor,
        data={
            "course_id": course.pk,
            "course": course.title,
            "format": export_format,
            "filters": {
                key: value for key, value in (form.cleaned_data if form.is_bound else {}).items() if value
            },
        },
    )
    stamp = timezone.now().astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).strftime("%Y-%m-%d-%H%M")
    filename = f"evaluation-{course.pk}-{stamp}.{export_format}"
    if export_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so spreadsheets open the UTF-8 (Thai) text correctly
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([csv_cell(cell) for cell in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=_("Evaluation")[:31])
        for row in rows:
            sheet.append([xlsx_cell(sheet, cell) for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _WholeFormRequired:
    """Wagtail reads a StreamField's posted blocks by their count; a POST without it (not sent by the
    admin's own form) is refused as bad input instead of failing with a server error."""

    def post(self, request, *args, **kwargs):
        if "questions-count" not in request.POST:
            raise BadRequest(_("The form arrived incomplete. Reload the page and try again."))
        return super().post(request, *args, **kwargs)


class EvaluationFormCreateView(_WholeFormRequired, snippet_views.CreateView):
    pass


class EvaluationFormEditView(_WholeFormRequired, snippet_views.EditView):
    pass


class EvaluationFormCopyView(_WholeFormRequired, snippet_views.CopyView):
    pass


class EvaluationFormDeleteView(snippet_views.DeleteView):
    """A form that has answers (their questions explain them) or is the ministry's default stays."""

    def post(self, request, *args, **kwargs):
        form = self.get_object()
        if form.is_default or form.answers.exists():
            messages.error(
                request,
                _("This form is the ministry-wide default or already has answers, so it cannot be deleted."),
            )
            return HttpResponseRedirect(reverse(self.index_url_name))
        return super().post(request, *args, **kwargs)
