"""Gap-free numbers that restart every year, such as volunteer numbers and certificate serials."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models


class YearlySequence(models.Model):
    """The last number handed out in a year (Bangkok time). A row lock makes numbers unique and
    gap-free; `next_label` must run inside the transaction that stores the number it returns."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.year}: {self.last_value}"

    @classmethod
    def next_label(cls, *, moment: datetime.datetime, prefix: str) -> str:
        """Take the next number of `moment`'s year and format it as PREFIX-YYYY-000001."""
        year = moment.astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE)).year
        cls.objects.get_or_create(year=year)
        sequence = cls.objects.select_for_update().get(year=year)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
        return f"{prefix}-{year}-{sequence.last_value:06d}"
