"""Live sessions in the Wagtail admin: trainers keep the sessions of the courses they may edit (staff
every course's) and record who attended, ticking a list or uploading the meeting tool's report.

Every view of a session answers 404 for a session outside the person's courses; the run chosen for
a session must be of one of those courses (another id is a form error, never a save). A country
coordinator sees, counts and marks their countries' volunteers only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput

from courses.authoring.models import CoursePage
from courses.authoring.scoped_admin import (
    ScopedChoiceForm,
    ScopedSnippetViewSet,
    register_scoped_policy,
    scoped_choice_filter,
)
from courses.learning.models import CourseRun
from courses.live.attendance import (
    ATTENDANCE_FILE_MAX_BYTES,
    AttendanceFileError,
    attendance_list_save,
    attendance_upload,
    session_enrolled,
)
from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import MANAGE_PERMISSION, runs_for_sessions_of, sessions_managed_by
from training.admin_views import audited_user
from training.dates import format_datetime, issuer_zone
from volunteers.coordinators import countries_of
from volunteers.uploads import validate_upload


def runs_for_sessions(user) -> QuerySet[CourseRun]:
    """The runs a session of `user`'s may belong to: the runs of the courses they keep sessions of."""
    return runs_for_sessions_of(user).select_related("course").order_by("-starts", "pk")


def courses_for_sessions(user) -> QuerySet[CoursePage]:
    """The courses of the runs whose sessions `user` keeps, for the listing's filter."""
    return CoursePage.objects.filter(pk__in=runs_for_sessions_of(user).values("course")).order_by("title")


# Registered before the viewset below asks for the model's policy.
register_scoped_policy(LiveSession, sessions_managed_by)


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course.title} · {obj.name}"


class LiveSessionForm(ScopedChoiceForm):
    """The session's form: its run is one of the runs of the courses the editor keeps sessions of."""

    scoped_field = "run"
    scoped_choice_field_class = RunChoiceField
    scoped_help_text = gettext_lazy("A run of a course you may edit.")
    scoped_invalid_choice = gettext_lazy("Choose a run of a course you may edit.")

    @classmethod
    def scoped_choices(cls, user):
        return runs_for_sessions(user)


class LiveSessionFilterSet(WagtailFilterSet):
    course = scoped_choice_filter(gettext_lazy("Course"), courses_for_sessions, field_name="run__course")
    run = scoped_choice_filter(gettext_lazy("Run"), runs_for_sessions)

    class Meta:
        model = LiveSession
        fields = []


def _starts_in_bangkok(session: LiveSession) -> str:
    return format_datetime(session.starts, short=True, zone=issuer_zone())


def _attendance_link(session: LiveSession):
    return format_html(
        '<a class="button button-small button-secondary" href="{}">{}</a>',
        reverse("courses_live_attendance", args=[session.pk]),
        _("Attendance"),
    )


class LiveSessionViewSet(ScopedSnippetViewSet):
    model = LiveSession
    icon = "calendar-alt"
    menu_label = gettext_lazy("Live sessions")
    menu_order = 309
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("run", label=gettext_lazy("Run"), accessor="run.name"),
        Column("course", label=gettext_lazy("Course"), accessor="run.course.title"),
        Column("starts", label=gettext_lazy("Starts (Bangkok time)"), accessor=_starts_in_bangkok),
        Column("attended_count", label=gettext_lazy("Attended")),
        Column("attendance", label=gettext_lazy("Attendance"), accessor=_attendance_link),
    ]
    filterset_class = LiveSessionFilterSet
    search_fields = ["title"]
    ordering = ["-starts", "pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("run", widget=forms.Select()),
            FieldPanel("title"),
            FieldRowPanel(
                [
                    FieldPanel("starts", widget=AdminDateTimeInput()),
                    FieldPanel("duration_minutes"),
                ]
            ),
            FieldPanel("meeting_url"),
            FieldPanel("link_opens_minutes"),
            FieldPanel("description"),
        ],
        base_form_class=LiveSessionForm,
    )

    def get_queryset(self, request):
        countries = countries_of(request.user)
        attended = (
            None if countries is None else Q(attendance__volunteer__volunteer_profile__country__in=countries)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(attended_count=Count("attendance", filter=attended, distinct=True))
            .order_by("-starts", "pk")
        )


# --- Attendance ------------------------------------------------------------------------------------


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendance report (CSV)"),
        help_text=gettext_lazy(
            "The participants report of Zoom, Microsoft Teams or Google Meet, as downloaded: the email "
            "column is found by its heading. At most 1 MB. Only volunteers enrolled in this run are marked."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, max_bytes=ATTENDANCE_FILE_MAX_BYTES, extensions={"csv", "txt"})
        return upload


def _volunteer_rows(session: LiveSession, viewer) -> list[dict]:
    attended = dict(SessionAttendance.objects.filter(session=session).values_list("volunteer_id", "source"))
    rows = []
    for enrolment in session_enrolled(session, viewer):
        volunteer = enrolment.volunteer
        profile = getattr(volunteer, "volunteer_profile", None)
        rows.append(
            {
                "id": volunteer.pk,
                "name": (profile.display_name if profile else "")
                or volunteer.get_full_name()
                or volunteer.email,
                "email": volunteer.email,
                "number": profile.volunteer_number if profile else None,
                "attended": volunteer.pk in attended,
                "source": SessionAttendance.Source(attended[volunteer.pk]).label
                if volunteer.pk in attended
                else "",
            }
        )
    return rows


def session_attendance(request, session_id: int):
    """Who attended one session: tick the run's volunteers, or upload the meeting tool's report."""
    if not request.user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    session = sessions_managed_by(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404(_("This live session does not exist or is of a course you do not keep."))
    actor = audited_user(request.user)
    here = reverse("courses_live_attendance", args=[session.pk])
    upload_form = AttendanceUploadForm()
    outcome = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "list":
            ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
            marked, removed = attendance_list_save(session=session, attended_ids=ids, actor=actor)
            messages.success(
                request,
                _("Attendance saved: %(marked)s marked, %(removed)s unmarked.")
                % {"marked": marked, "removed": removed},
            )
            return HttpResponseRedirect(here)
        if action == "upload":
            upload_form = AttendanceUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                raw = upload_form.cleaned_data["file"].read(ATTENDANCE_FILE_MAX_BYTES + 1)
                try:
                    outcome = attendance_upload(session=session, raw=raw, actor=actor)
                except AttendanceFileError as error:
                    upload_form.add_error("file", str(error))
                    status = 400
            else:
                status = 400
        else:
            status = 400
            messages.error(request, _("Save the list or upload a file."))
    return render(
        request,
        "courses/live/admin/attendance.html",
        {
            "session": session,
            "starts": format_datetime(session.starts, zone=issuer_zone()),
            "rows": _volunteer_rows(session, actor),
            "upload_form": upload_form,
            "outcome": outcome,
            "outcome_summary": (
                ngettext(
                    "%(marked)s volunteer marked as attended",
                    "%(marked)s volunteers marked as attended",
                    outcome.marked,
                )
                % {"marked": outcome.marked}
                if outcome
                else ""
            ),
            "page_title": _("Attendance"),
            "header_icon": "calendar-alt",
        },
        status=status,
    )
