"""Dates and times as people read them: the one way every page, email, PDF, admin screen and report
shows a date, so a reader never meets two calendars or an unnamed clock.

- Calendar: Buddhist Era years and Thai month names in Thai ("2 ธันวาคม 2569"), the Gregorian
  calendar in English ("2 December 2026").
- Time zone: certificates, the verify page, staff screens, reports, emails and PDFs use the issuer's
  calendar, Asia/Bangkok (`settings.DISPLAY_TIME_ZONE`). A volunteer's own pages use the zone of
  their profile (its `time_zone`, or else the usual zone of their country), which
  `training.time_zones.ReaderTimeZoneMiddleware` activates with `reader_zone_override`. Storage
  stays UTC (`settings.TIME_ZONE`).
- A time is always shown with its zone named: "17:23 น. (เวลานอร์เวย์, UTC+1)"; short forms for
  tables name it by its offset: "2 ธ.ค. 2569 17:23 น. (UTC+7)".
- Exports meant for machines keep ISO dates and never BE years: the report CSV/XLSX files write
  Asia/Bangkok wall time as "YYYY-MM-DD HH:MM" (their filters say "Bangkok time"); a volunteer's
  JSON data export writes ISO 8601 with the UTC offset, and so do Wagtail's listing exports in CSV
  (their XLSX cells hold UTC, as Wagtail writes them).
- BE is for display only. Date inputs take Gregorian ISO dates (the admin's date picker);
  `refuse_buddhist_era` refuses a BE year typed into one, with the Gregorian year to use instead.
"""

import contextvars
import datetime
import importlib.resources
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
BUDDHIST_ERA_OFFSET = 543
# No date this platform handles is this late in the Christian Era; such a year is a BE year typed
# into a Gregorian field (2569 for 2026).
FIRST_BUDDHIST_ERA_LOOKING_YEAR = 2300

# Countries that span several zones start from the zone where most of their people (and most Thai
# communities) live; single-zone countries come from the tz database's zone.tab. The common
# destinations are listed too, so they never depend on that file being installed.
COUNTRY_TIME_ZONES = {
    "TH": "Asia/Bangkok",
    "NO": "Europe/Oslo",
    "SE": "Europe/Stockholm",
    "DK": "Europe/Copenhagen",
    "FI": "Europe/Helsinki",
    "DE": "Europe/Berlin",
    "GB": "Europe/London",
    "NL": "Europe/Amsterdam",
    "FR": "Europe/Paris",
    "CH": "Europe/Zurich",
    "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul",
    "TW": "Asia/Taipei",
    "SG": "Asia/Singapore",
    "IL": "Asia/Jerusalem",
    "AE": "Asia/Dubai",
    "US": "America/Los_Angeles",
    "CA": "America/Toronto",
    "AU": "Australia/Sydney",
    "NZ": "Pacific/Auckland",
    "BR": "America/Sao_Paulo",
    "MX": "America/Mexico_City",
    "RU": "Europe/Moscow",
    "CN": "Asia/Shanghai",
    "ID": "Asia/Jakarta",
    "MY": "Asia/Kuala_Lumpur",
    "ES": "Europe/Madrid",
    "PT": "Europe/Lisbon",
    "KZ": "Asia/Almaty",
    "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago",
}

DateLike = datetime.date | datetime.datetime


# --- Which zone ------------------------------------------------------------------------------


def issuer_zone() -> ZoneInfo:
    """Asia/Bangkok: the zone of certificates, staff screens and reports."""
    return ZoneInfo(settings.DISPLAY_TIME_ZONE)


# The reader's zone for this request: a zone name, or a function that finds it when a date is first
# shown (so a page without dates never looks up the profile). None means the issuer's zone.
_reader_zone: contextvars.ContextVar[str | Callable[[], str | None] | None] = contextvars.ContextVar(
    "reader_zone", default=None
)


@contextmanager
def reader_zone_override(zone: str | Callable[[], str | None] | None) -> Iterator[None]:
    """Show dates and times in `zone` (a name, or a function returning one) inside the block."""
    token = _reader_zone.set(zone)
    try:
        yield
    finally:
        _reader_zone.reset(token)


def _zone_or_none(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def reader_zone() -> ZoneInfo:
    """The zone the current reader sees times in: their profile's on their own pages, else Bangkok."""
    zone = _reader_zone.get()
    if callable(zone):
        zone = zone()
        _reader_zone.set(zone)
    return _zone_or_none(zone) or issuer_zone()


@cache
def _zone_tab() -> tuple[tuple[str, str], ...]:
    """(country code, zone name) pairs from the tz database's zone.tab, in its order."""
    candidates = [Path(directory) / "zone.tab" for directory in zoneinfo.TZPATH]
    with suppress(ModuleNotFoundError):
        candidates.append(importlib.resources.files("tzdata").joinpath("zoneinfo", "zone.tab"))
    for candidate in candidates:
        try:
            text = candidate.read_text(encoding="utf-8")
        except OSError:
            continue
        return tuple(
            (fields[0], fields[2])
            for line in text.splitlines()
            if line and not line.startswith("#") and len(fields := line.split("\t")) >= 3
        )
    return ()


def zone_for_country(code: str | None) -> str:
    """The usual zone of a country (ISO 3166 code): "NO" -> "Europe/Oslo"; Bangkok when unknown."""
    if code:
        code = code.upper()
        if code in COUNTRY_TIME_ZONES:
            return COUNTRY_TIME_ZONES[code]
        for country, zone in _zone_tab():
            if country == code:
                return zone
    return settings.DISPLAY_TIME_ZONE


@cache
def _zone_country() -> dict[str, str]:
    countries = {zone: country for country, zone in _zone_tab()}
    countries.update({zone: country for country, zone in COUNTRY_TIME_ZONES.items()})
    return countries


def country_of_zone(zone: str) -> str | None:
    """The country (ISO 3166 code) whose usual zone `zone` is: "Europe/Oslo" -> "NO"."""
    return _zone_country().get(zone)


def time_zone_names() -> list[str]:
    """The zone names people may choose: every zone of a country, and UTC."""
    names = {name for _country, name in _zone_tab()} | set(COUNTRY_TIME_ZONES.values())
    available = zoneinfo.available_timezones()
    return sorted(name for name in names if name in available) + ["UTC"]


# Names a country for a zone label ("NO", "th") -> "นอร์เวย์". The volunteer register, which owns
# the country names, sets it from `VolunteersConfig.ready()`; without it the label is the offset.
country_namer: Callable[[str, str], str] | None = None


def register_country_namer(namer: Callable[[str, str], str]) -> None:
    global country_namer
    country_namer = namer


def end_of_day_months_later(moment: datetime.datetime, months: int, zone: ZoneInfo) -> datetime.datetime:
    """The last second of the day `months` calendar months after `moment`'s day in `zone`, in UTC.

    A certificate issued on 3 December 2026 (Bangkok) and valid for 24 months is valid through
    3 December 2028, Bangkok time; the 31st of a month goes to the last day of a shorter month.
    """
    day = local_date(moment, zone)
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    target = datetime.date(year, month, min(day.day, last_day))
    return datetime.datetime.combine(target, datetime.time(23, 59, 59), tzinfo=zone).astimezone(datetime.UTC)


# --- How it reads ----------------------------------------------------------------------------


def _language(language: str | None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _in_zone(value: datetime.datetime, zone: ZoneInfo | None) -> datetime.datetime:
    zone = zone or reader_zone()
    if value.tzinfo is None:
        # Naive datetimes are stored UTC wall time (USE_TZ); name them as such rather than guess.
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(zone)


def local_date(value: DateLike, zone: ZoneInfo | None = None) -> datetime.date:
    """The calendar date of a date, or of a datetime in `zone` (the reader's zone by default)."""
    if isinstance(value, datetime.datetime):
        return _in_zone(value, zone).date()
    return value


def utc_offset(moment: datetime.datetime) -> str:
    """ "UTC+7", "UTC+5:30", "UTC-3", "UTC+0" for an aware moment."""
    offset = moment.utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(moment: datetime.datetime, language: str | None = None, *, short: bool = False) -> str:
    """The zone of an aware moment, as a reader knows it: "เวลาไทย, UTC+7" / "Thailand time, UTC+7";
    short, or for a zone of no country: the offset alone."""
    offset = utc_offset(moment)
    name = getattr(moment.tzinfo, "key", "")
    country = country_of_zone(name)
    if short or not country or country_namer is None:
        return offset
    language = _language(language)
    place = country_namer(country, language)
    return f"เวลา{place}, {offset}" if language == "th" else f"{place} time, {offset}"


def format_date(
    value: DateLike | None, language: str | None = None, *, short: bool = False, zone: ZoneInfo | None = None
) -> str:
    """'25 พฤศจิกายน 2569' in Thai, '25 November 2026' in English; '' for no date. A datetime's day is
    taken in `zone` (a ZoneInfo), by default the reader's."""
    if value is None:
        return ""
    day = local_date(value, zone)
    language = _language(language)
    if language == "th":
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{day.day} {months[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"
    month = ENGLISH_MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"


def format_time(
    value: datetime.datetime | None,
    language: str | None = None,
    *,
    short: bool = False,
    zone: ZoneInfo | None = None,
) -> str:
    """'17:23 น. (เวลาไทย, UTC+7)' in Thai, '17:23 (Thailand time, UTC+7)' in English."""
    if value is None:
        return ""
    moment = _in_zone(value, zone)
    language = _language(language)
    clock = f"{moment:%H:%M}" + (" น." if language == "th" else "")
    return f"{clock} ({zone_label(moment, language, short=short)})"


def format_datetime(
    value: datetime.datetime | None,
    language: str | None = None,
    *,
    short: bool = False,
    zone: ZoneInfo | None = None,
) -> str:
    """'2 ธันวาคม 2569 17:23 น. (เวลาไทย, UTC+7)' / '2 December 2026, 17:23 (Thailand time, UTC+7)';
    short for tables: '2 ธ.ค. 2569 17:23 น. (UTC+7)' / '2 Dec 2026, 17:23 (UTC+7)'."""
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return format_date(value, language, short=short)
    moment = _in_zone(value, zone)
    language = _language(language)
    separator = " " if language == "th" else ", "
    return (
        format_date(moment, language, short=short, zone=moment.tzinfo)
        + separator
        + format_time(moment, language, short=short, zone=moment.tzinfo)
    )


def format_month(month: datetime.date, language: str | None = None, *, short: bool = False) -> str:
    """A calendar month: 'ธันวาคม 2569' in Thai, 'December 2026' in English; short for charts:
    'ธ.ค. 2569' / 'Dec 2026'."""
    language = _language(language)
    if language == "th":
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{months[month.month - 1]} {month.year + BUDDHIST_ERA_OFFSET}"
    name = ENGLISH_MONTHS[month.month - 1]
    return f"{name[:3] if short else name} {month.year}"


# --- Inputs ----------------------------------------------------------------------------------


def refuse_buddhist_era(value: DateLike | None) -> None:
    """Refuse a Buddhist Era year typed into a Gregorian date field (2569-12-01 for 2026-12-01)."""
    if value is not None and value.year >= FIRST_BUDDHIST_ERA_LOOKING_YEAR:
        raise ValidationError(
            _(
                "%(year)s looks like a Buddhist Era year. Dates here use the Christian Era: "
                "enter %(gregorian)s, or pick the day from the calendar."
            ),
            code="buddhist_era_year",
            params={"year": value.year, "gregorian": value.year - BUDDHIST_ERA_OFFSET},
        )
