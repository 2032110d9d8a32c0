"""What an organisation's leader sees of a confirmed member's courses (volunteers.members): the
courses in progress and those completed, for every member of the list in two queries."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.learning.models import CourseCompletion, Enrollment
from training.dates import format_date
from volunteers.members import MemberColumn, register_member_column


def courses_in_progress(user_ids: list[int]) -> dict[int, list[str]]:
    completed = CourseCompletion.objects.filter(volunteer=OuterRef("volunteer"), course=OuterRef("course"))
    cells: dict[int, list[str]] = defaultdict(list)
    rows = (
        Enrollment.objects.filter(volunteer_id__in=user_ids)
        .exclude(Exists(completed))
        .order_by("enrolled_at")
        .values_list("volunteer_id", "course__title")
    )
    for user_id, title in rows:
        cells[user_id].append(title)
    return cells


def courses_completed(user_ids: list[int]) -> dict[int, list[str]]:
    cells: dict[int, list[str]] = defaultdict(list)
    rows = (
        CourseCompletion.objects.filter(volunteer_id__in=user_ids)
        .order_by("completed_at")
        .values_list("volunteer_id", "course__title", "completed_at")
    )
    for user_id, title, completed_at in rows:
        cells[user_id].append(
            gettext("%(course)s (completed on %(date)s)")
            % {"course": title, "date": format_date(completed_at)}
        )
    return cells


def register_member_columns() -> None:
    register_member_column(
        MemberColumn(key="in_progress", label=_("Courses in progress"), values=courses_in_progress, order=10)
    )
    register_member_column(
        MemberColumn(key="completed", label=_("Courses completed"), values=courses_completed, order=20)
    )
