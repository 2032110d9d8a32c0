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


def test_the_demo_coordinator_for_norway_sees_norways_numbers_only(demo, client):
    coordinator = User.objects.get(email="coordinator.no@example.org")
    request = RequestFactory().get("/admin/reports/charts/")
    request.user = coordinator
    with translation.override("en"):
        mine = charts.all_charts(charts.ChartFilters.for_user(coordinator), request)
        staffs = charts.all_charts(charts.ChartFilters(country="NO"), request)
    assert [chart.rows for chart in mine] == [chart.rows for chart in staffs]
    assert [row.label for row in mine[1].rows] == ["Norway"]
    client.force_login(coordinator)
    export = b"".join(client.get("/admin/reports/progress/", {"export": "csv"}).streaming_content).decode()
    assert export.count("\n") > 1 and "สวีเดน" not in export and "Sweden" not in export
    client.force_login(User.objects.get(email="staff@example.org"))
    everyone = b"".join(client.get("/admin/reports/progress/", {"export": "csv"}).streaming_content).decode()
    assert "สวีเดน" in everyone or "Sweden" in everyone
