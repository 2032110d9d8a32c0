"""Dates in our Wagtail admin screens, by the rules of `training.dates`: listing columns and
inspect-view fields in Asia/Bangkok with BE years in Thai, and date filters that take Gregorian
dates only. Wagtail's own screens (page history, "8 minutes ago") keep Wagtail's formatting."""

import django_filters
from django.db import models
from django_filters.fields import DateRangeField
from wagtail.admin.ui.fields import BaseFieldDisplay, register_display_class
from wagtail.admin.ui.tables import Column

from training.dates import format_datetime, refuse_buddhist_era


class DateTimeColumn(Column):
    """A listing column of dates or moments: '2 ธ.ค. 2569 17:23 น. (UTC+7)', '—' when empty."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return format_datetime(value, short=True) if value else "—"


class DateTimeDisplay(BaseFieldDisplay):
    """An inspect-view field holding a date or a moment, read in full with its zone named."""

    def render_html(self, parent_context=None):
        return format_datetime(self.value) if self.value else "—"


def register_date_displays() -> None:
    register_display_class(models.DateTimeField, display_class=DateTimeDisplay)
    register_display_class(models.DateField, display_class=DateTimeDisplay)


class GregorianDateRangeField(DateRangeField):
    """A from/to pair of Gregorian dates; a Buddhist Era year typed in is refused, never read as CE."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(refuse_buddhist_era)


class GregorianDateRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = GregorianDateRangeField
