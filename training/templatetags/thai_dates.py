"""Date filters for templates, emails and PDFs (the rules are in `training.dates`).

`{{ d|local_date }}`, `{{ t|local_datetime }}`, `{{ t|local_time }}`: in the active language (or the
one given, `{{ d|local_date:"en" }}`) and the reader's zone (their profile's on their own pages,
otherwise Asia/Bangkok). `{{ d|issuer_date }}`: a certificate's date, always on the Bangkok calendar.
The `_short` forms are for tables.
"""

from django import template

from training.dates import format_date, format_datetime, format_time, issuer_zone

register = template.Library()


@register.filter
def local_date(value, language: str | None = None) -> str:
    """Format a date for the active language, or for the language given: `{{ d|local_date:"en" }}`."""
    return format_date(value, language)


@register.filter
def local_date_short(value, language: str | None = None) -> str:
    return format_date(value, language, short=True)


@register.filter
def local_datetime(value, language: str | None = None) -> str:
    """'2 ธันวาคม 2569 17:23 น. (เวลาไทย, UTC+7)': a date and time with its zone named."""
    return format_datetime(value, language)


@register.filter
def local_datetime_short(value, language: str | None = None) -> str:
    return format_datetime(value, language, short=True)


@register.filter
def local_time(value, language: str | None = None) -> str:
    """'17:23 น. (เวลาไทย, UTC+7)': a time of day with its zone named."""
    return format_time(value, language)


@register.filter
def issuer_date(value, language: str | None = None) -> str:
    """A certificate's date as the issuer dates it (Asia/Bangkok), whoever reads it."""
    return format_date(value, language, zone=issuer_zone())


@register.filter
def issuer_datetime(value, language: str | None = None) -> str:
    """A date and time in Bangkok time, whoever reads it: a live session's time beside the reader's own."""
    return format_datetime(value, language, zone=issuer_zone())
