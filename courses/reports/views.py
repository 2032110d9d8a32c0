"""Report views in the Wagtail admin: course completions, progress and quiz results, with streamed
exports. Staff see every report; trainers see the quiz results of the courses they may edit, with
names but no contact data; country coordinators see staff's reports with only their countries'
volunteers in every row, filter and export.

The exports are written here rather than with Wagtail's spreadsheet export, which loads every row
and builds the XLSX file in memory; each export is recorded in the audit log.
"""

from zoneinfo import ZoneInfo

import django_filters
import django_filters.fields
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from courses.authoring.models import CoursePage
from courses.authoring.selectors import courses_editable_by, quiz_course_path
from courses.learning.models import CourseCompletion, CourseRun, Enrollment
from courses.quizzes.models import QuizPage, QuizResult
from courses.reports import exports as reports
from courses.reports import participants
from training.admin_dates import GregorianDateRangeFilter
from training.admin_views import audited_user
from training.spreadsheets import csv_stream, xlsx_file
from volunteers.coordinators import country_choices_for, in_countries
from volunteers.countries import sorted_country_choices
from volunteers.models import Organization, VolunteerProfile

REPORT_PERMISSION = "courses.view_coursecompletion"
RECORD_PERMISSION = "volunteers.view_volunteerprofile"

# Exports are audited against the account of the person who exported.
log_registry.register_model(get_user_model(), ModelLogEntry)
PAGE_SIZES = (25, 50, 100)


class BangkokDateRangeFilter(GregorianDateRangeFilter):
    """A range of whole days in Asia/Bangkok time, whatever the server's time zone; a Buddhist Era
    year typed in is refused, never read as a Gregorian one."""

    def filter(self, qs, value):
        if not value:
            return qs
        start = value.start.date() if value.start else None
        stop = value.stop.date() if value.stop else None
        lower, upper = reports.bangkok_day_bounds(start, stop)
        if lower is not None:
            qs = qs.filter(**{f"{self.field_name}__gte": lower})
        if upper is not None:
            qs = qs.filter(**{f"{self.field_name}__lt": upper})
        return qs


def _report_courses():
    return CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")


def _volunteer_country_filter():
    return django_filters.ChoiceFilter(
        label=_("Country"), field_name="volunteer__volunteer_profile__country", choices=sorted_country_choices
    )


def _volunteer_organization_filter():
    return django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="volunteer__volunteer_profile__organization",
        queryset=Organization.objects.all(),
    )


# The lookup from a report's row (a completion, an enrolment, a quiz result) to its volunteer's country.
VOLUNTEER_COUNTRY = "volunteer__volunteer_profile__country"


def volunteers_in_scope(queryset: QuerySet, user) -> QuerySet:
    """The report rows `user` may see: a country coordinator's countries' volunteers only (issue 22);
    everything for staff and trainers, whose scope is the report's own."""
    return in_countries(queryset, user, VOLUNTEER_COUNTRY)


def scope_volunteer_filters(filterset: WagtailFilterSet) -> None:
    """A coordinator's country and organisation filters offer only their countries. A filter set
    built without a request (the charts build the reports' with the coordinator's countries in
    their queryset already) keeps every choice."""
    user = getattr(filterset.request, "user", None)
    if user is None:
        return
    filterset.filters["country"].extra["choices"] = country_choices_for(user, sorted_country_choices())
    filterset.filters["organization"].queryset = in_countries(Organization.objects.all(), user)


def _report_runs():
    return CourseRun.objects.select_related("course").order_by("course__title", "starts", "pk")


class RunChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course.title} · {obj.name}"


class RunFilter(django_filters.ModelChoiceFilter):
    field_class = RunChoiceField


class LearningReportFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(label=_("Course"), queryset=_report_courses())
    run = RunFilter(label=_("Run"), field_name="run", queryset=_report_runs())
    country = _volunteer_country_filter()
    organization = _volunteer_organization_filter()
    status = django_filters.ChoiceFilter(
        label=_("Volunteer status"),
        field_name="volunteer__volunteer_profile__status",
        choices=VolunteerProfile.Status.choices,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["course"].queryset = _report_courses()
        self.filters["run"].queryset = _report_runs()
        scope_volunteer_filters(self)


class CompletionsFilterSet(LearningReportFilterSet):
    completed_at = BangkokDateRangeFilter(label=_("Completed (Bangkok time)"), widget=DateRangePickerWidget)

    class Meta:
        model = CourseCompletion
        fields = ["course", "run", "country", "organization", "status", "completed_at"]


class ProgressFilterSet(LearningReportFilterSet):
    enrolled_at = BangkokDateRangeFilter(label=_("Enrolled (Bangkok time)"), widget=DateRangePickerWidget)

    class Meta:
        model = Enrollment
        fields = ["course", "run", "country", "organization", "status", "enrolled_at"]


class ReportTextColumn(Column):
    """A report cell: the same text the export writes, except that moments read as people read them."""

    def __init__(self, column: reports.ReportColumn, **kwargs):
        super().__init__(column.key, label=column.label, **kwargs)
        self.report_column = column

    @cached_property
    def cell(self):
        return self.report_column.screen_cell()

    def get_value(self, instance):
        return self.cell(instance)


class RecordLinkColumn(ReportTextColumn):
    """The volunteer's name, linking to their staff record."""

    cell_template_name = "courses/reports/record_link_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        profile = instance[reports.PROFILE_ID]
        context["value"] = (
            self.get_value(instance) or instance.get(reports.PROFILE + "volunteer_number") or "—"
        )
        context["link"] = (
            reverse("wagtailsnippets_volunteers_volunteerprofile:inspect", args=[profile]) if profile else ""
        )
        return context


class StaffReportMixin:
    """Staff reports (and the charts drawn from them): readable with the report permission only."""

    @classmethod
    def user_may_view(cls, user) -> bool:
        return user.has_perm(REPORT_PERMISSION)

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class LearningReportView(StaffReportMixin, ReportView):
    """A staff report whose rows and exports come from `courses.reports`."""

    report_key = ""
    export_name = ""
    header_icon = "table"
    export_formats = ("csv", "xlsx")

    @property
    def sheet_title(self) -> str:
        return self.export_name

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("per_page", ""))
        except ValueError:
            return self.paginate_by
        return size if size in PAGE_SIZES else self.paginate_by

    @cached_property
    def report_columns(self) -> list[reports.ReportColumn]:
        return reports.report_columns(self.report_key)

    @cached_property
    def columns(self):
        # Only those who may open a volunteer's record get a link to it.
        linked = self.request.user.has_perm(RECORD_PERMISSION)
        return [
            RecordLinkColumn(column) if linked and column.key == "name_th" else ReportTextColumn(column)
            for column in self.report_columns
        ]

    @cached_property
    def header_buttons(self):
        query = self.request.GET.copy()
        buttons = []
        for export_format in self.export_formats:
            query["export"] = export_format
            query.pop("p", None)
            buttons.append(
                HeaderButton(
                    _("Download %(format)s") % {"format": export_format.upper()},
                    url=f"{self.request.path}?{query.urlencode()}",
                    icon_name="download",
                )
            )
        return buttons

    def export_filters(self) -> dict:
        filters = self.filters
        if filters is None or not filters.is_valid():
            return {}
        data = {}
        for name, value in filters.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            if isinstance(value, slice):
                value = {
                    "from": value.start.date().isoformat() if value.start else "",
                    "to": value.stop.date().isoformat() if value.stop else "",
                }
            elif hasattr(value, "pk"):
                value = value.pk
            data[name] = value
        return data

    def get(self, request, *args, **kwargs):
        if self.is_export:
            if self.filters is not None and not self.filters.is_valid():
                # Show the form's errors instead of exporting an unfiltered report.
                self.is_export = False
                return super().get(request, *args, **kwargs)
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export(self, export_format: str):
        queryset = self.get_filtered_queryset()
        stamp = timezone.now().astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).strftime("%Y-%m-%d-%H%M")
        filename = f"{self.export_name}-{stamp}.{export_format}"
        actor = audited_user(self.request.user)
        log(
            actor,
            "courses.report_export",
            user=actor,
            data={"report": self.report_key, "format": export_format, "filters": self.export_filters()},
        )
        if export_format == "csv":
            rows = reports.report_rows(queryset, self.report_columns)
            response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
            # filename* for a name in Thai (a course's participants); the same header for ASCII.
            response["Content-Disposition"] = content_disposition_header(True, filename)
            return response
        rows = reports.report_rows(queryset, self.report_columns, typed=True)
        return FileResponse(
            xlsx_file(rows, title=self.sheet_title),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class CompletionsReportView(LearningReportView):
    page_title = _("Course completions")
    report_key = "completions"
    export_name = "course-completions"
    filterset_class = CompletionsFilterSet
    index_url_name = "courses_report_completions"
    index_results_url_name = "courses_report_completions_results"

    def get_queryset(self):
        return volunteers_in_scope(reports.completions_queryset(), self.request.user)


class ProgressReportView(LearningReportView):
    page_title = _("Progress in courses")
    report_key = "progress"
    export_name = "course-progress"
    filterset_class = ProgressFilterSet
    index_url_name = "courses_report_progress"
    index_results_url_name = "courses_report_progress_results"

    def get_queryset(self):
        return volunteers_in_scope(reports.progress_queryset(), self.request.user)


def quiz_report_courses(user) -> QuerySet[CoursePage] | None:
    """The courses whose quiz results `user` may see: None for staff (every course), otherwise the
    courses they may edit under Wagtail's page permissions."""
    if user.has_perm(REPORT_PERMISSION):
        return None
    return courses_editable_by(user=user)


class QuizResultsFilterSet(WagtailFilterSet):
    PASSED_CHOICES = (("yes", _("Yes")), ("no", _("No")))

    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.none(), method="filter_course"
    )
    quiz = django_filters.ModelChoiceFilter(label=_("Quiz"), queryset=QuizPage.objects.none())
    country = _volunteer_country_filter()
    organization = _volunteer_organization_filter()
    passed = django_filters.ChoiceFilter(label=_("Passed"), choices=PASSED_CHOICES, method="filter_passed")

    class Meta:
        model = QuizResult
        fields = ["course", "quiz", "country", "organization", "passed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        courses = _report_courses()
        quizzes = QuizPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")
        scope = quiz_report_courses(self.request.user)
        if scope is not None:
            courses = courses.filter(pk__in=scope.values("pk"))
            quizzes = quizzes.annotate(course_path=quiz_course_path("path")).filter(
                course_path__in=scope.values("path")
            )
        self.filters["course"].queryset = courses
        self.filters["quiz"].queryset = quizzes
        scope_volunteer_filters(self)

    def filter_course(self, queryset, name, value):
        return queryset.filter(course_path=value.path) if value else queryset

    def filter_passed(self, queryset, name, value):
        return queryset.filter(passed=value == "yes") if value else queryset


class QuizResultsReportView(LearningReportView):
    page_title = _("Quiz results")
    report_key = "quiz_results"
    export_name = "quiz-results"
    filterset_class = QuizResultsFilterSet
    index_url_name = "courses_report_quiz_results"
    index_results_url_name = "courses_report_quiz_results_results"

    @classmethod
    def user_may_view(cls, user) -> bool:
        scope = quiz_report_courses(user)
        return scope is None or scope.exists()

    def get_queryset(self):
        queryset = reports.quiz_results_queryset()
        scope = quiz_report_courses(self.request.user)
        if scope is not None:
            queryset = queryset.filter(course_path__in=scope.values("path"))
        return volunteers_in_scope(queryset, self.request.user)


class ParticipantsFilterSet(WagtailFilterSet):
    run = django_filters.ModelChoiceFilter(
        label=_("Run"), field_name="run", queryset=CourseRun.objects.none()
    )
    country = _volunteer_country_filter()
    organization = _volunteer_organization_filter()
    status = django_filters.ChoiceFilter(
        label=_("Progress"), choices=participants.STATUS_CHOICES, method="filter_status"
    )

    class Meta:
        model = Enrollment
        fields = ["run", "country", "organization", "status"]

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["run"].queryset = CourseRun.objects.filter(course=course).order_by("starts", "pk")
        scope_volunteer_filters(self)

    def filter_status(self, queryset, name, value):
        return participants.filter_status(queryset, value)


class ParticipantsView(LearningReportView):
    """A course's participants (issue 23), for its trainers, staff and country coordinators: the
    course is looked up (and scoped, a 404 outside it) before anything else."""

    page_title = _("Participants")
    report_key = participants.REPORT
    filterset_class = ParticipantsFilterSet
    index_url_name = "courses_participants"
    index_results_url_name = "courses_participants_results"
    default_ordering = "name"
    paginate_by = 50
    SORT_KEYS = {"name_th": "name", "percent": "progress", "last_activity": "last_activity"}

    @classmethod
    def user_may_view(cls, user) -> bool:
        return participants.sees_every_course(user) or courses_editable_by(user=user).exists()

    def dispatch(self, request, *args, **kwargs):
        self.course = participants.participants_course(request.user, kwargs["course_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.course.title

    @property
    def export_name(self) -> str:
        return f"participants-{participants.export_filename_part(self.course.title)}"

    @property
    def sheet_title(self) -> str:
        return "participants"

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.course.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.course.pk])

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "course": self.course}

    @cached_property
    def report_columns(self) -> list[reports.ReportColumn]:
        return participants.participants_columns(self.course, participants.course_quizzes(self.course))

    @cached_property
    def columns(self):
        linked = self.request.user.has_perm(RECORD_PERMISSION)
        columns = []
        for column in self.report_columns:
            column_class = RecordLinkColumn if linked and column.key == "name_th" else ReportTextColumn
            columns.append(column_class(column, sort_key=self.SORT_KEYS.get(column.key)))
        return columns

    def get_queryset(self):
        queryset = participants.participants_base(self.course, self.request.user)
        ordered = participants.order_participants(queryset, self.ordering)
        return participants.participants_rows(ordered, self.report_columns)

    def export_filters(self) -> dict:
        return {"course": self.course.pk, **super().export_filters()}
