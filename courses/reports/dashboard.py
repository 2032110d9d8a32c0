"""Staff panels on the Wagtail admin home: who is ready to register, and this month's figures; a
country coordinator's count their countries' volunteers only."""

import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from courses.learning.models import CourseCompletion
from volunteers.coordinators import in_countries
from volunteers.countries import country_name
from volunteers.models import VolunteerProfile
from volunteers.registration import profiles_meeting_requirements

READY_SHOWN = 10


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment of the current month in Asia/Bangkok, the calendar staff report by."""
    local = (now or timezone.now()).astimezone(ZoneInfo(settings.DISPLAY_TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def applicants_ready_to_register(user=None):
    """Applicants (of `user`'s countries, when given) who meet every registration requirement (each
    required course completed, no required certificate expired, and whatever other apps ask),
    longest waiting first."""
    applicants = VolunteerProfile.objects.filter(
        status=VolunteerProfile.Status.APPLICANT, erased_at__isnull=True
    )
    if user is not None:
        applicants = in_countries(applicants, user)
    return profiles_meeting_requirements(applicants).order_by("created_at")


def volunteers_by_country(user) -> list[tuple[str, int]]:
    rows = (
        in_countries(VolunteerProfile.objects.filter(erased_at__isnull=True), user)
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
        ready = applicants_ready_to_register(parent_context["request"].user)
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
        user = parent_context["request"].user
        registered = VolunteerProfile.objects.filter(status=VolunteerProfile.Status.REGISTERED)
        completions = CourseCompletion.objects.filter(completed_at__gte=start)
        return {
            "registered": in_countries(registered, user).count(),
            "completions_this_month": in_countries(
                completions, user, "volunteer__volunteer_profile__country"
            ).count(),
            "by_country": volunteers_by_country(user),
            "completions_url": reverse("courses_report_completions"),
            "month_from": start.date().isoformat(),
        }
