"""Course runs in the Wagtail admin: the runs as snippets (trainers keep the runs of the courses they
may edit, staff every course's), and the staff's page for one enrolment, where they move the
volunteer to another run of the course or extend their deadline.

Every view of a run answers 404 for a run outside the person's courses, the listing's bulk delete
and the chooser leave it out, and a new run must be of one of those courses (another id is a form
error, never a save). A country coordinator's enrolled and waiting counts are of their countries'
volunteers, and an enrolment of anyone else is a 404 to them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateTimeInput

from courses.authoring.models import CoursePage
from courses.authoring.scoped_admin import (
    ScopedChoiceForm,
    ScopedDeleteView,
    ScopedPermissionPolicy,
    ScopedSnippetViewSet,
    register_scoped_policy,
    scoped_choice_filter,
)
from courses.learning import runs, services
from courses.learning.models import CourseRun, Enrollment
from courses.learning.selectors import courses_for_runs, runs_managed_by
from training.dates import format_datetime, issuer_zone, refuse_buddhist_era
from volunteers.coordinators import countries_of, in_countries

MOVE_PERMISSION = "courses.change_enrollment"


def run_is_held(run: CourseRun) -> bool:
    """Whether volunteers are enrolled in the run or waiting for it (then it is not deleted)."""
    return run.enrollments.exists() or run.waitlist.exists()


class CourseRunPermissionPolicy(ScopedPermissionPolicy):
    """The runs of the person's courses; and a run holding volunteers is never theirs to delete, so
    the listing's bulk delete leaves it (as the delete view does) rather than fail."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and run_is_held(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


# Registered before the viewset below asks for the model's policy.
register_scoped_policy(CourseRun, runs_managed_by, policy_class=CourseRunPermissionPolicy)


def _courses_to_choose(user):
    return courses_for_runs(user).order_by("title")


def _courses_of_kept_runs(user):
    return CoursePage.objects.filter(pk__in=runs_managed_by(user).values("course")).order_by("title")


class CourseRunForm(ScopedChoiceForm):
    """The run's form: its course is one the editor keeps runs of."""

    scoped_field = "course"
    scoped_help_text = gettext_lazy("A course you may edit.")
    scoped_invalid_choice = gettext_lazy("Choose a course you may edit.")

    @classmethod
    def scoped_choices(cls, user):
        return _courses_to_choose(user)


class CourseRunFilterSet(WagtailFilterSet):
    course = scoped_choice_filter(gettext_lazy("Course"), _courses_of_kept_runs)

    class Meta:
        model = CourseRun
        fields = []


class CourseRunDeleteView(ScopedDeleteView):
    """A run that holds enrolments (or a waiting list) stays: move the volunteers to another run first."""

    def post(self, request, *args, **kwargs):
        if run_is_held(self.get_object()):
            messages.error(
                request,
                _("Volunteers are enrolled in this run or waiting for it: move them first, then delete it."),
            )
            return HttpResponseRedirect(reverse(self.index_url_name))
        return super().post(request, *args, **kwargs)


class CourseRunViewSet(ScopedSnippetViewSet):
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
    filterset_class = CourseRunFilterSet
    search_fields = ["name"]
    ordering = ["-starts", "pk"]
    delete_view_class = CourseRunDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel("course", widget=forms.Select()),
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
        ],
        base_form_class=CourseRunForm,
    )

    def get_queryset(self, request):
        countries = countries_of(request.user)
        enrolled = waiting = None
        if countries is not None:
            enrolled = Q(enrollments__volunteer__volunteer_profile__country__in=countries)
            waiting = Q(waitlist__volunteer__volunteer_profile__country__in=countries)
        return (
            super()
            .get_queryset(request)
            .select_related("course")
            .annotate(
                enrolled_count=Count("enrollments", filter=enrolled, distinct=True),
                waiting_count=Count("waitlist", filter=waiting, distinct=True),
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
    enrolments = Enrollment.objects.filter(
        pk=enrolment_id, volunteer__volunteer_profile__erased_at__isnull=True
    )
    enrolment = (
        in_countries(enrolments, request.user, "volunteer__volunteer_profile__country")
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
