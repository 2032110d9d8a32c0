"""Dates as the issuer's calendar shows them: Buddhist Era years and Thai month names in Thai,
the Gregorian calendar in English, in Asia/Bangkok time. Templates and PDFs use the same helper."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation

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


def local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    """The calendar date in the display time zone (Asia/Bangkok) of a date or an aware datetime."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE))
        return value.date()
    return value


def format_date(
    value: datetime.date | datetime.datetime | None, language: str | None = None, *, short: bool = False
) -> str:
    """'25 พฤศจิกายน 2569' in Thai, '25 November 2026' in English; '' for no date."""
    if value is None:
        return ""
    day = local_date(value)
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == "th":
        months = THAI_MONTHS_SHORT if short else THAI_MONTHS
        return f"{day.day} {months[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"
    month = ENGLISH_MONTHS[day.month - 1]
    return f"{day.day} {month[:3] if short else month} {day.year}"
