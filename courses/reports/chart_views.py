"""The charts in the Wagtail admin: a "Charts" report with all five, filtered as the reports are,
and a panel of two on the staff dashboard. Staff only, with the permission the reports ask for."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.learning.models import CourseCompletion
from courses.reports import charts
from courses.reports.svg import bar_chart
from courses.reports.views import (
    BangkokDateRangeFilter,
    LearningReportFilterSet,
    StaffReportMixin,
)


class ChartsFilterSet(LearningReportFilterSet):
    """The reports' filters (course, run, country, organisation) and a period; each chart passes
    them on to its report's own filter set under that report's names."""

    period = BangkokDateRangeFilter(label=_("Period (Bangkok time)"), widget=DateRangePickerWidget)

    class Meta:
        model = CourseCompletion
        fields = ["course", "run", "country", "organization", "period"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A volunteer's status now says nothing about a funnel or a month gone by.
        del self.filters["status"]


def drawn(chart: charts.Chart) -> dict:
    return {"chart": chart, "drawing": bar_chart(chart)}


class ChartsView(StaffReportMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Charts")
    header_icon = "doc-full"
    template_name = "courses/reports/charts/index.html"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = ChartsFilterSet(
            self.request.GET, queryset=CourseCompletion.objects.none(), request=self.request
        )
        context["chart_filters"] = filters
        context["charts"] = []
        if filters.is_valid():
            wanted = charts.ChartFilters.from_cleaned_data(filters.form.cleaned_data, self.request.user)
            context["charts"] = [drawn(chart) for chart in charts.all_charts(wanted, self.request)]
        return context


class ChartsPanel(Component):
    """Completions per month and the funnel on the staff dashboard, unfiltered but for a
    coordinator's countries."""

    name = "report_charts"
    order = 70
    template_name = "courses/reports/charts/dashboard_panel.html"

    class Media:
        css = {"all": ["css/admin-charts.css"]}

    def get_context_data(self, parent_context):
        wanted = charts.ChartFilters.for_user(parent_context["request"].user)
        return {
            "charts": [drawn(charts.completions_per_month(wanted)), drawn(charts.volunteer_funnel(wanted))],
            "charts_url": reverse("courses_report_charts"),
        }
