import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from training.dates import format_date

UTC = datetime.UTC


def test_thai_dates_use_the_buddhist_era_and_thai_month_names():
    assert format_date(datetime.date(2026, 11, 25), "th") == "25 พฤศจิกายน 2569"
    assert format_date(datetime.date(2026, 11, 25), "th", short=True) == "25 พ.ย. 2569"


def test_english_dates_are_gregorian():
    assert format_date(datetime.date(2026, 11, 25), "en") == "25 November 2026"
    assert format_date(datetime.date(2026, 11, 25), "en", short=True) == "25 Nov 2026"


def test_the_year_boundary_follows_bangkok_time():
    # 31 December 2025 18:30 UTC is already 1 January 2026 in Bangkok (UTC+7): B.E. 2569.
    moment = datetime.datetime(2025, 12, 31, 18, 30, tzinfo=UTC)
    assert format_date(moment, "th") == "1 มกราคม 2569"
    assert format_date(moment, "en") == "1 January 2026"
    # 16:59 UTC is still 31 December in Bangkok: B.E. 2568.
    assert format_date(datetime.datetime(2025, 12, 31, 16, 59, tzinfo=UTC), "th") == "31 ธันวาคม 2568"


def test_the_active_language_decides_when_none_is_given():
    day = datetime.datetime(2026, 1, 2, 3, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    with translation.override("th"):
        assert format_date(day) == "2 มกราคม 2569"
    with translation.override("en"):
        assert format_date(day) == "2 January 2026"
    assert format_date(None) == ""


def test_the_template_filter_formats_in_the_active_or_given_language():
    template = Template('{% load thai_dates %}{{ day|local_date }} / {{ day|local_date:"en" }}')
    with translation.override("th"):
        assert (
            template.render(Context({"day": datetime.date(2027, 2, 3)})) == "3 กุมภาพันธ์ 2570 / 3 February 2027"
        )
