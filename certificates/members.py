"""What an organisation's leader sees of a confirmed member's certificates (volunteers.members):
each current certificate with its state (valid, expired or revoked), never why it was revoked."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from training.dates import format_date
from volunteers.members import MemberColumn, register_member_column


def certificates_held(user_ids: list[int]) -> dict[int, list[str]]:
    now = timezone.now()
    english = get_language() == "en"
    cells: dict[int, list[str]] = defaultdict(list)
    rows = (
        Certificate.objects.filter(
            volunteer_id__in=user_ids, status__in=[Certificate.Status.VALID, Certificate.Status.REVOKED]
        )
        .order_by("issued_at")
        # Only what the cell shows: the reason of a revocation is never read here.
        .values_list("volunteer_id", "course_title_th", "course_title_en", "status", "valid_until")
    )
    for user_id, title_th, title_en, status, valid_until in rows:
        title = (title_en if english else "") or title_th
        if status == Certificate.Status.REVOKED:
            state = gettext("revoked")
        elif valid_until is not None and valid_until < now:
            state = gettext("expired on %(date)s") % {"date": format_date(valid_until)}
        elif valid_until is not None:
            state = gettext("valid until %(date)s") % {"date": format_date(valid_until)}
        else:
            state = gettext("valid")
        cells[user_id].append(f"{title}: {state}")
    return cells


def register() -> None:
    register_member_column(
        MemberColumn(key="certificates", label=_("Certificates"), values=certificates_held, order=30)
    )
