"""`{{ value|local_date }}`: Buddhist Era dates in Thai, Gregorian in English (see training.dates)."""

from django import template

from training.dates import format_date

register = template.Library()


@register.filter
def local_date(value, language: str | None = None) -> str:
    """Format a date for the active language, or for the language given: `{{ d|local_date:"en" }}`."""
    return format_date(value, language)


@register.filter
def local_date_short(value, language: str | None = None) -> str:
    return format_date(value, language, short=True)
