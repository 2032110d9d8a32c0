"""`{{ attempt.score|whole_percent }}`: a score or grade as volunteers read it, a whole percentage
rounded half up (66.67 is 67, 62.50 is 63), never truncated."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def whole_percent(value) -> int | str:
    """Empty for no value (an attempt not graded), so the template decides what to show."""
    if value is None or value == "":
        return ""
    try:
        return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return ""
