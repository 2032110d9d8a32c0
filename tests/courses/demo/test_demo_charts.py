"""The demo gives every staff chart something to show: completions over half a year, the funnel in
three countries, completion and pass rates, and organisations in each certification state."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from courses.reports import charts
from volunteers.models import User

pytestmark = pytest.mark.django_db


def test_every_chart_has_numbers_on_the_demo(demo):
    request = RequestFactory().get("/admin/reports/charts/")
    request.user = User.objects.get(email="staff@example.org")
    with translation.override("en"):
        completions, funnel, rates, passes, organisations = charts.all_charts(charts.ChartFilters(), request)
    assert all(chart.has_data for chart in (completions, funnel, rates, passes, organisations))
    assert sum(1 for row in completions.rows if row.bars[0].value) >= 5
    assert len(funnel.rows) >= 3 and all(row.bars[0].value for row in funnel.rows)
    assert any(0 < row.bars[0].percent < 100 for row in rates.rows)
    assert any(0 < row.bars[0].percent < 100 for row in passes.rows)
    assert all(row.bars[0].value for row in organisations.rows)
