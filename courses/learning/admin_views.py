"""Staff enrolment in the Wagtail admin: a bulk action on the volunteers list and a CSV of emails.
A country coordinator enrols their countries' volunteers only."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from courses.authoring.models import CoursePage
from courses.learning import services
from courses.learning.models import CourseRun
from volunteers.coordinator_scope import CountryScopedBulkActionMixin
from volunteers.coordinators import sees_country
from volunteers.models import VolunteerProfile
from volunteers.uploads import validate_upload

ENROL_PERMISSION = "courses.add_enrollment"


def enrolment_courses():
    return CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, live=True).order_by("path")


def enrolment_runs():
    """The runs staff may enrol volunteers into: those of live courses that have not ended."""
    return (
        CourseRun.objects.filter(
            course__locale__language_code=settings.LANGUAGE_CODE, course__live=True, ends__gt=timezone.now()
        )
        .select_related("course")
        .order_by("course__path", "starts", "pk")
    )


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.course.title} · {obj.name}"


class CourseChoiceForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=CoursePage.objects.none(),
        empty_label=gettext_lazy("Choose a course"),
    )
    run = RunChoiceField(
        label=gettext_lazy("Run"),
        queryset=CourseRun.objects.none(),
        required=False,
        empty_label=gettext_lazy("No run (a course without runs)"),
        help_text=gettext_lazy(
            "Required when the course has runs. A full run puts people on its waiting list."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = enrolment_courses()
        self.fields["run"].queryset = enrolment_runs()

    def clean(self):
        cleaned = super().clean()
        course, run = cleaned.get("course"), cleaned.get("run")
        if course is None:
            return cleaned
        if run is not None and run.course_id != course.pk:
            self.add_error("run", _("This run does not belong to the course."))
        elif run is None and CourseRun.objects.filter(course=course).exists():
            self.add_error("run", _("This course has runs: choose the run to enrol in."))
        return cleaned


class EnrolCsvForm(CourseChoiceForm):
    file = forms.FileField(
        label=gettext_lazy("CSV file of email addresses"),
        help_text=gettext_lazy("One email address per row, in the first column. At most 1 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, max_bytes=services.BULK_ENROL_MAX_BYTES, extensions={"csv", "txt"})
        return upload


class EnrolBulkAction(CountryScopedBulkActionMixin, SnippetBulkAction):
    """Enrol the selected volunteers in a course; each gets an email and the action is audited. A
    country coordinator's selection keeps to their countries (another's is not even named)."""

    models = [VolunteerProfile]
    display_name = gettext_lazy("Enrol in a course")
    action_type = "enrol_in_course"
    aria_label = gettext_lazy("Enrol the selected volunteers in a course")
    template_name = "courses/admin/enrol_bulk_action.html"
    action_priority = 40
    form_class = CourseChoiceForm

    def check_perm(self, obj):
        user = self.request.user
        return user.has_perm(ENROL_PERMISSION) and obj.erased_at is None and sees_country(user, obj.country)

    def get_execution_context(self):
        data = self.cleaned_form.cleaned_data
        return {"user": self.request.user, "course": data["course"], "run": data.get("run")}

    @classmethod
    def execute_action(cls, objects, user=None, course=None, run=None, **kwargs):
        new, _already, _waiting = services.course_enrol_many(
            volunteers=[profile.user for profile in objects], course=course, actor=user, run=run
        )
        return new, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d volunteer enrolled; they get an email.",
            "%(count)d volunteers enrolled; they get an email.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


def enrol_from_csv(request):
    """Upload a CSV of volunteers' email addresses and enrol them in a course; shows each row's outcome."""
    if not request.user.has_perm(ENROL_PERMISSION):
        raise PermissionDenied
    form = EnrolCsvForm(request.POST or None, request.FILES or None)
    outcomes, file_error = None, None
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read(services.BULK_ENROL_MAX_BYTES + 1)
        try:
            outcomes = services.course_enrol_csv(
                raw=raw,
                course=form.cleaned_data["course"],
                actor=request.user,
                run=form.cleaned_data.get("run"),
            )
        except services.LearningError as error:
            file_error = str(error)
    counts: dict[str, int] = {}
    for outcome in outcomes or []:
        counts[outcome.outcome] = counts.get(outcome.outcome, 0) + 1
    status = 400 if file_error or (request.method == "POST" and not form.is_valid()) else 200
    return render(
        request,
        "courses/admin/enrol_csv.html",
        {
            "form": form,
            "outcomes": outcomes,
            "counts": counts,
            "file_error": file_error,
            "page_title": _("Enrol volunteers from a CSV file"),
            "header_icon": "upload",
        },
        status=status,
    )
