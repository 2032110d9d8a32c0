import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from training.dates import (
    format_date,
    format_datetime,
    format_time,
    reader_zone,
    reader_zone_override,
    refuse_buddhist_era,
    time_zone_names,
    utc_offset,
    zone_for_country,
)

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


# New Year's Eve 2026, 20:30 UTC: already 1 January 2027 (BE 2570) in Bangkok, still 31 December
# 2026 (BE 2569) in Oslo.
NEW_YEAR_EVE = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=UTC)
OSLO = ZoneInfo("Europe/Oslo")


def test_a_time_names_its_zone_in_thai_and_in_english():
    assert format_datetime(NEW_YEAR_EVE, "th") == "1 มกราคม 2570 03:30 น. (เวลาไทย, UTC+7)"
    assert format_datetime(NEW_YEAR_EVE, "en") == "1 January 2027, 03:30 (Thailand time, UTC+7)"
    assert format_datetime(NEW_YEAR_EVE, "th", short=True) == "1 ม.ค. 2570 03:30 น. (UTC+7)"
    assert format_time(NEW_YEAR_EVE, "en") == "03:30 (Thailand time, UTC+7)"
    assert format_datetime(None) == ""


def test_new_year_falls_on_different_days_in_bangkok_and_oslo():
    assert format_datetime(NEW_YEAR_EVE, "th", zone=OSLO) == "31 ธันวาคม 2569 21:30 น. (เวลานอร์เวย์, UTC+1)"
    assert format_datetime(NEW_YEAR_EVE, "en", zone=OSLO) == "31 December 2026, 21:30 (Norway time, UTC+1)"
    assert format_date(NEW_YEAR_EVE, "th", zone=OSLO) == "31 ธันวาคม 2569"
    assert format_date(NEW_YEAR_EVE, "th") == "1 มกราคม 2570"


def test_the_reader_zone_is_bangkok_unless_a_page_activates_another():
    assert reader_zone().key == "Asia/Bangkok"
    with reader_zone_override(lambda: "Europe/Oslo"), translation.override("en"):
        assert reader_zone().key == "Europe/Oslo"
        assert format_datetime(NEW_YEAR_EVE) == "31 December 2026, 21:30 (Norway time, UTC+1)"
    with reader_zone_override("Not/A_Zone"):
        assert reader_zone().key == "Asia/Bangkok"
    assert reader_zone().key == "Asia/Bangkok"


def test_offsets_name_half_hours_and_zones_of_no_country():
    assert utc_offset(NEW_YEAR_EVE.astimezone(ZoneInfo("Asia/Kolkata"))) == "UTC+5:30"
    assert utc_offset(NEW_YEAR_EVE.astimezone(ZoneInfo("America/Sao_Paulo"))) == "UTC-3"
    assert format_time(NEW_YEAR_EVE, "en", zone=ZoneInfo("UTC")) == "20:30 (UTC+0)"


def test_a_country_gives_its_usual_time_zone():
    assert zone_for_country("NO") == "Europe/Oslo"
    assert zone_for_country("us") == "America/Los_Angeles"  # most Thai people in the US live there
    assert zone_for_country("IS") == "Atlantic/Reykjavik"  # from the tz database's zone.tab
    assert zone_for_country("") == "Asia/Bangkok"
    assert zone_for_country("XX") == "Asia/Bangkok"
    assert "Europe/Oslo" in time_zone_names() and "UTC" in time_zone_names()


def test_a_buddhist_era_year_typed_as_a_date_is_refused_with_the_gregorian_year():
    refuse_buddhist_era(datetime.date(2026, 12, 1))
    refuse_buddhist_era(None)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        refuse_buddhist_era(datetime.date(2569, 12, 1))
    with translation.override("en"):
        assert "enter 2026" in refused.value.messages[0]
    with translation.override("th"):
        assert "ปีพุทธศักราช" in refused.value.messages[0] and "2026" in refused.value.messages[0]


def test_the_template_filters_show_times_with_their_zone_and_certificates_on_the_bangkok_calendar():
    template = Template(
        "{{ t|local_datetime }} / {{ t|local_time }} / {{ t|issuer_date }} / {{ t|local_date }}"
    )
    with reader_zone_override("Europe/Oslo"), translation.override("th"):
        assert template.render(Context({"t": NEW_YEAR_EVE})) == (
            "31 ธันวาคม 2569 21:30 น. (เวลานอร์เวย์, UTC+1) / 21:30 น. (เวลานอร์เวย์, UTC+1)"
            " / 1 มกราคม 2570 / 31 ธันวาคม 2569"
        )
