"""Live sessions in the Wagtail admin: trainers keep the sessions of the courses they may edit (staff
every course's) and record who attended, ticking a list or uploading the meeting tool's report.

Every view of a session answers 404 for a session outside the person's courses; the run chosen for
a session must be of one of those courses (another id is a form error, never a save)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.authoring.models import CoursePage
from courses.authoring.selectors import courses_editable_by
from courses.learning.models import CourseRun
from courses.live.attendance import (
    ATTENDANCE_FILE_MAX_BYTES,
    AttendanceFileError,
    attendance_list_save,
    attendance_upload,
    session_enrolled,
)
from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import MANAGE_ALL_PERMISSION, MANAGE_PERMISSION, sessions_managed_by
from training.admin_views import audited_user
from training.dates import format_datetime, issuer_zone
from volunteers.admin_views import RecordsChooserViewSet
from volunteers.uploads import validate_upload


def courses_for_sessions(user) -> QuerySet[CoursePage]:
    """The courses whose sessions `user` keeps: every course for staff, else those they may edit."""
    if user.has_perm(MANAGE_ALL_PERMISSION):
        return CoursePage.objects.filter(pk__in=CourseRun.objects.values("course"))
    if not user.has_perm(MANAGE_PERMISSION):
        return CoursePage.objects.none()
    return courses_editable_by(user=user)


def runs_for_sessions(user) -> QuerySet[CourseRun]:
    """The runs a session of `user`'s may belong to: the runs of the courses they keep sessions of."""
    return (
        CourseRun.objects.filter(course__in=courses_for_sessions(user))
        .select_related("course")
        .order_by("-starts", "pk")
    )


class LiveSessionPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model rights, and for one session also the course: what the admin asks of an
    instance (the listing's bulk delete, the copy view) is refused outside the person's courses."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and (
            sessions_managed_by(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return LiveSession.objects.none()
        return sessions_managed_by(user)


# Registered before the viewset below asks for the model's policy.
register_permission_policy(LiveSession, LiveSessionPermissionPolicy(LiveSession))


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course.title} · {obj.name}"


class LiveSessionForm(WagtailAdminModelForm):
    """The session's form: its run is one of the runs of the courses the editor keeps sessions of."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("run")
        if field is not None:
            user = self.for_user
            queryset = runs_for_sessions(user) if user is not None else CourseRun.objects.none()
            self.fields["run"] = RunChoiceField(
                queryset=queryset,
                label=field.label,
                help_text=_("A run of a course you may edit."),
                error_messages={
                    "invalid_choice": _("Choose a run of a course you may edit."),
                },
            )


class _ManagedSessionMixin:
    """A view of one session: 404 unless the person keeps the session's course."""

    def get_object(self, *args, **kwargs):
        try:
            session = super().get_object(*args, **kwargs)
        except PermissionDenied as refused:
            raise Http404 from refused  # the copy view asks the policy first: the same answer
        if not sessions_managed_by(self.request.user).filter(pk=session.pk).exists():
            raise Http404
        return session


class LiveSessionEditView(_ManagedSessionMixin, snippet_views.EditView):
    pass


class LiveSessionCopyView(_ManagedSessionMixin, snippet_views.CopyView):
    pass


class LiveSessionDeleteView(_ManagedSessionMixin, snippet_views.DeleteView):
    pass


class LiveSessionUsageView(_ManagedSessionMixin, snippet_views.UsageView):
    pass


class LiveSessionHistoryView(_ManagedSessionMixin, snippet_views.HistoryView):
    pass


# The chooser lists only the person's sessions too.
class _SessionChooseView(RecordsChooserViewSet.choose_view_class):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=sessions_managed_by(self.request.user).values("pk"))


class _SessionChooseResultsView(RecordsChooserViewSet.choose_results_view_class):
    def get_object_list(self):
        return super().get_object_list().filter(pk__in=sessions_managed_by(self.request.user).values("pk"))


class _SessionChosenView(RecordsChooserViewSet.chosen_view_class):
    def get_object(self, pk):
        session = sessions_managed_by(self.request.user).filter(pk=pk).first()
        if session is None:
            raise Http404
        return session


class _SessionChosenMultipleView(RecordsChooserViewSet.chosen_multiple_view_class):
    def get_objects(self, pks):
        return list(sessions_managed_by(self.request.user).filter(pk__in=[pk for pk in pks if pk.isdigit()]))


class LiveSessionChooserViewSet(RecordsChooserViewSet):
    choose_view_class = _SessionChooseView
    choose_results_view_class = _SessionChooseResultsView
    chosen_view_class = _SessionChosenView
    chosen_multiple_view_class = _SessionChosenMultipleView


def _courses_filter_queryset(request):
    return courses_for_sessions(request.user).order_by("title") if request else CoursePage.objects.none()


def _runs_filter_queryset(request):
    return runs_for_sessions(request.user) if request else CourseRun.objects.none()


class LiveSessionFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Course"), field_name="run__course", queryset=_courses_filter_queryset
    )
    run = django_filters.ModelChoiceFilter(label=gettext_lazy("Run"), queryset=_runs_filter_queryset)

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


class LiveSessionViewSet(SnippetViewSet):
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
    edit_view_class = LiveSessionEditView
    copy_view_class = LiveSessionCopyView
    delete_view_class = LiveSessionDeleteView
    usage_view_class = LiveSessionUsageView
    history_view_class = LiveSessionHistoryView
    chooser_viewset_class = LiveSessionChooserViewSet
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
        return (
            sessions_managed_by(request.user)
            .annotate(attended_count=Count("attendance", distinct=True))
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


def _volunteer_rows(session: LiveSession) -> list[dict]:
    attended = dict(SessionAttendance.objects.filter(session=session).values_list("volunteer_id", "source"))
    rows = []
    for enrolment in session_enrolled(session):
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
            "rows": _volunteer_rows(session),
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
