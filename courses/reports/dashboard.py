"""Staff panels on the Wagtail admin home: who is ready to register, and this month's figures."""

import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from courses.learning.models import CourseCompletion
from courses.learning.requirements import required_courses
from volunteers.countries import country_name
from volunteers.models import VolunteerProfile

READY_SHOWN = 10


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment of the current month in Asia/Bangkok, the calendar staff report by."""
    local = (now or timezone.now()).astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def with_required_courses_done(profiles: QuerySet[VolunteerProfile]) -> tuple[QuerySet[VolunteerProfile], Q]:
    """`profiles` annotated with how many courses required for registration each completed, and
    the condition "trained" (completed every one of them): the dashboard's "Ready to register" and
    the charts' funnel both count with it."""
    required = list(required_courses().values_list("pk", flat=True))
    done = Subquery(
        CourseCompletion.objects.filter(volunteer=OuterRef("user"), course_id__in=required)
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT"))
        .values("total"),
        output_field=IntegerField(),
    )
    return profiles.annotate(required_done=done), Q(required_done__gte=len(required))


def applicants_ready_to_register():
    """Applicants who completed every course marked "required for registration", longest waiting first."""
    profiles, trained = with_required_courses_done(
        VolunteerProfile.objects.filter(status=VolunteerProfile.Status.APPLICANT, erased_at__isnull=True)
    )
    return profiles.filter(trained).order_by("created_at")


def volunteers_by_country() -> list[tuple[str, int]]:
    rows = (
        VolunteerProfile.objects.filter(erased_at__isnull=True)
        .exclude(status=VolunteerProfile.Status.INACTIVE)
        .exclude(country="")
        .values("country")
        .annotate(count=Count("pk"))
        .order_by("-count", "country")
    )
    return [(country_name(row["country"]), row["count"]) for row in rows]


class RegistrationPanel(Component):
    name = "registration_ready"
    order = 50
    template_name = "courses/reports/dashboard_registration.html"

    def get_context_data(self, parent_context):
        ready = applicants_ready_to_register()
        register_url = reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", "register"])
        home = reverse("wagtailadmin_home")
        rows = [
            {
                "profile": profile,
                "record_url": reverse(
                    "wagtailsnippets_volunteers_volunteerprofile:inspect", args=[profile.pk]
                ),
                "register_url": f"{register_url}?{urlencode({'id': profile.pk, 'next': home})}",
            }
            for profile in ready.select_related("user", "organization")[:READY_SHOWN]
        ]
        return {"rows": rows, "total": ready.count()}


class FiguresPanel(Component):
    name = "volunteer_figures"
    order = 60
    template_name = "courses/reports/dashboard_figures.html"

    def get_context_data(self, parent_context):
        start = month_start()
        return {
            "registered": VolunteerProfile.objects.filter(status=VolunteerProfile.Status.REGISTERED).count(),
            "completions_this_month": CourseCompletion.objects.filter(completed_at__gte=start).count(),
            "by_country": volunteers_by_country(),
            "completions_url": reverse("courses_report_completions"),
            "month_from": start.date().isoformat(),
        }
