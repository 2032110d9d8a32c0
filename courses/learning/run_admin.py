"""Course runs in the Wagtail admin: the runs as snippets (trainers and staff keep them), and the
staff's page for one enrolment, where they move the volunteer to another run of the course or
extend their deadline."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.learning import runs, services
from courses.learning.models import CourseRun, Enrollment
from training.dates import format_datetime, issuer_zone, refuse_buddhist_era
from volunteers.admin_views import RecordsChooserViewSet

MOVE_PERMISSION = "courses.change_enrollment"


class CourseRunDeleteView(snippet_views.DeleteView):
    """A run that holds enrolments (or a waiting list) stays: move the volunteers to another run first."""

    def post(self, request, *args, **kwargs):
        run = self.get_object()
        if run.enrollments.exists() or run.waitlist.exists():
            messages.error(
                request,
                _("Volunteers are enrolled in this run or waiting for it: move them first, then delete it."),
            )
            return HttpResponseRedirect(reverse(self.index_url_name))
        return super().post(request, *args, **kwargs)


class CourseRunViewSet(SnippetViewSet):
    model = CourseRun
    icon = "date"
    menu_label = gettext_lazy("Course runs")
    menu_order = 308
    add_to_admin_menu = True
    list_display = [
        "name",
        "course",
        "enrolment_closes",
        "starts",
        "ends",
        "seats",
        Column("enrolled_count", label=gettext_lazy("Enrolled")),
        Column("waiting_count", label=gettext_lazy("Waiting")),
    ]
    list_filter = ["course"]
    search_fields = ["name"]
    ordering = ["-starts", "pk"]
    delete_view_class = CourseRunDeleteView
    chooser_viewset_class = RecordsChooserViewSet
    panels = [
        FieldPanel("course"),
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("enrolment_opens"), FieldPanel("enrolment_closes")])],
            heading=gettext_lazy("Enrolment window"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts"), FieldPanel("ends")])],
            heading=gettext_lazy("Start and deadline"),
        ),
        FieldPanel("seats"),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("organization")], heading=gettext_lazy("Who it is for")
        ),
        FieldPanel("fresh_start"),
    ]

    def get_queryset(self, request):
        return (
            CourseRun.objects.select_related("course")
            .annotate(
                enrolled_count=Count("enrollments", distinct=True),
                waiting_count=Count("waitlist", distinct=True),
            )
            .order_by("-starts", "pk")
        )


class MoveForm(forms.Form):
    run = forms.ModelChoiceField(
        label=gettext_lazy("Move to the run"), queryset=CourseRun.objects.none(), empty_label=None
    )

    def __init__(self, *args, enrolment: Enrollment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (
            CourseRun.objects.filter(course_id=enrolment.course_id, ends__gt=timezone.now())
            .exclude(pk=enrolment.run_id)
            .order_by("starts", "pk")
        )


class ExtendForm(forms.Form):
    until = forms.DateTimeField(label=gettext_lazy("New deadline"), widget=AdminDateTimeInput())

    def clean_until(self):
        until = self.cleaned_data["until"]
        refuse_buddhist_era(until)
        return until


def enrolment_run(request, enrolment_id: int):
    """One volunteer's enrolment in a course with runs: move it to another run, or extend its deadline."""
    if not request.user.has_perm(MOVE_PERMISSION):
        raise PermissionDenied
    enrolment = (
        Enrollment.objects.filter(pk=enrolment_id, volunteer__volunteer_profile__erased_at__isnull=True)
        .select_related("course", "run", "volunteer__volunteer_profile")
        .first()
    )
    if enrolment is None or not CourseRun.objects.filter(course_id=enrolment.course_id).exists():
        raise Http404(_("This enrolment does not exist or its course has no runs."))
    action = request.POST.get("action") if request.method == "POST" else None
    move_form = MoveForm(request.POST if action == "move" else None, enrolment=enrolment)
    extend_form = ExtendForm(request.POST if action == "extend" else None)
    status = 200
    if request.method == "POST":
        form = {"move": move_form, "extend": extend_form}.get(action)
        if form is None:
            status = 400
            messages.error(request, _("Choose to move the volunteer or to extend their deadline."))
        elif form.is_valid():
            try:
                if action == "move":
                    runs.enrolment_move(enrolment=enrolment, run=form.cleaned_data["run"], actor=request.user)
                    messages.success(request, _("The volunteer is moved; they get an email."))
                else:
                    runs.enrolment_extend(
                        enrolment=enrolment, until=form.cleaned_data["until"], actor=request.user
                    )
                    messages.success(request, _("The deadline is extended."))
                return HttpResponseRedirect(reverse("courses_enrolment_run", args=[enrolment.pk]))
            except services.LearningError as error:
                messages.error(request, str(error))
                status = 400
        else:
            status = 400
    profile = getattr(enrolment.volunteer, "volunteer_profile", None)
    return render(
        request,
        "courses/admin/enrolment_run.html",
        {
            "enrolment": enrolment,
            "profile": profile,
            "deadline": format_datetime(enrolment.deadline, zone=issuer_zone()) if enrolment.deadline else "",
            "move_form": move_form,
            "extend_form": extend_form,
            "page_title": _("Run and deadline"),
            "header_icon": "date",
        },
        status=status,
    )
