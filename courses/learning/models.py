"""What volunteers do with courses: course runs (editions) with their waiting lists, enrolments,
lesson progress and course completions.

They always point at the default-locale (Thai) pages, whichever language the volunteer reads.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.authoring.models import CoursePage, LessonPage
from training.dates import refuse_buddhist_era
from volunteers.countries import country_choices
from volunteers.models import Organization


class CourseRun(models.Model):
    """An edition of a course: a cohort enrolled within a window, which starts and must finish by
    a date (`ends`, the deadline), with an optional seat limit and an optional country or
    organisation it is for. A course without runs is open-ended, as before.

    Runs are not translated: their name ("รุ่นที่ 3 / 2570") is shown as written. The live sessions
    of a run (issue 21, item 2) hang off it as its children.
    """

    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="runs",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("For example “รุ่นที่ 3 / 2570”."))
    enrolment_opens = models.DateTimeField(_("enrolment opens"))
    enrolment_closes = models.DateTimeField(_("enrolment closes"))
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(
        _("ends (deadline)"), help_text=_("Volunteers must complete the course by this time.")
    )
    seats = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    country = models.CharField(
        _("only for volunteers living in"),
        max_length=2,
        choices=country_choices,
        blank=True,
        help_text=_("Leave empty for volunteers in every country."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("only for volunteers of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_runs",
        help_text=_("Leave empty for volunteers of every organisation."),
    )
    fresh_start = models.BooleanField(
        _("starts afresh"),
        default=False,
        help_text=_("Volunteers moved into this run start the course again: their lessons done are cleared."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        ordering = ["course", "starts", "pk"]
        # Trainers keep the runs of the courses they may edit; this keeps every course's (staff).
        permissions = [("manage_all_courseruns", _("Can keep the runs of every course"))]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="unique_course_run_name"),
            models.CheckConstraint(
                condition=models.Q(enrolment_closes__gt=models.F("enrolment_opens")),
                name="course_run_enrolment_window",
            ),
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="course_run_dates"),
            models.CheckConstraint(
                condition=models.Q(seats__isnull=True) | models.Q(seats__gte=1), name="course_run_seats"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        for name in ("enrolment_opens", "enrolment_closes", "starts", "ends"):
            try:
                refuse_buddhist_era(getattr(self, name))
            except ValidationError as error:
                errors[name] = error
        if self.enrolment_opens and self.enrolment_closes and self.enrolment_closes <= self.enrolment_opens:
            errors.setdefault("enrolment_closes", _("Enrolment must close after it opens."))
        if self.starts and self.ends and self.ends <= self.starts:
            errors.setdefault("ends", _("The run must end after it starts."))
        if self.course_id and self.course.locale.language_code != settings.LANGUAGE_CODE:
            errors["course"] = _("Choose the course in Thai, the language its enrolments point at.")
        if errors:
            raise ValidationError(errors)

    def is_open_for_enrolment(self, now=None) -> bool:
        now = now or timezone.now()
        return self.enrolment_opens <= now < self.enrolment_closes

    def admits(self, volunteer) -> bool:
        """The volunteer lives in the run's country and belongs to its organisation (when it names them)."""
        if not self.country and not self.organization_id:
            return True
        profile = getattr(volunteer, "volunteer_profile", None)
        if profile is None:
            return False
        if self.country and profile.country != self.country:
            return False
        return not (self.organization_id and profile.organization_id != self.organization_id)


class Enrollment(models.Model):
    """A volunteer's enrolment in a course (the default-locale course page)."""

    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        STAFF = "staff", _("Enrolled by staff")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="course_enrollments",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    source = models.CharField(_("how"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The run the enrolment is in; NULL for a course without runs. One enrolment per volunteer and
    # course: a volunteer moved to a later run keeps the same row with another run.
    # RESTRICT: a run holding enrolments is not deleted on its own, but goes with its course.
    run = models.ForeignKey(
        CourseRun,
        verbose_name=_("run"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    deadline_extended_to = models.DateTimeField(_("deadline extended to"), null=True, blank=True)
    # When the volunteer was last reminded to continue (courses.learning.reminders): one reminder
    # per stretch of inactivity, until they do something in the course again.
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    # The deadline the volunteer was last reminded of (courses.learning.deadlines): once per
    # deadline, so an extension or a move to another run may be reminded of again.
    deadline_reminded_for = models.DateTimeField(_("reminded of the deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course"], name="unique_enrollment"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.course_id}"

    @property
    def deadline(self):
        """When the volunteer must finish: the staff's extension, else the run's end; None without a run."""
        if self.deadline_extended_to is not None:
            return self.deadline_extended_to
        return self.run.ends if self.run_id else None


class RunWaitlistEntry(models.Model):
    """A volunteer waiting for a seat in a full run; the earliest waiting is offered the first seat freed."""

    run = models.ForeignKey(
        CourseRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="waitlist"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="run_waitlist_entries",
    )
    created_at = models.DateTimeField(_("joined the waiting list"), default=timezone.now)

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["run", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "volunteer"], name="unique_run_waitlist_entry"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.run_id}"


class LessonProgress(models.Model):
    """A lesson a volunteer marked as done (the default-locale lesson page); recorded once."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "lesson"], name="unique_lesson_progress"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.lesson_id}"


class CourseCompletion(models.Model):
    """The moment a volunteer completed a course; recorded once and never undone by content changes."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="course_completions",
    )
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)
    # The run the volunteer completed the course in; NULL for a course without runs.
    run = models.ForeignKey(
        CourseRun,
        verbose_name=_("run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completions",
    )

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course"], name="unique_course_completion"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.course_id}"


class SyncedAction(models.Model):
    """An action the offline app queued on a phone (a lesson done, a quiz submitted) and later sent
    to the sync endpoint (`courses.learning.sync`), kept by the id the phone gave it.

    A phone resends what it is not sure arrived (the connection dropped before the answer came
    back), so each id is claimed once per volunteer (the unique constraint) and a resend is answered
    from this row: what was done is not done twice, and what was refused is refused again with the
    same reason.
    """

    class Outcome(models.TextChoices):
        DONE = "done", pgettext_lazy("action sent from a phone", "Done")
        REFUSED = "refused", pgettext_lazy("action sent from a phone", "Refused")

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="synced_actions",
    )
    client_id = models.UUIDField(_("id on the phone"))
    kind = models.CharField(_("kind of action"), max_length=40)
    outcome = models.CharField(_("outcome on the server"), max_length=10, choices=Outcome.choices)
    # Why it was refused, in the language it was answered in (empty when done).
    message = models.TextField(_("why it was refused"), blank=True)
    created_at = models.DateTimeField(_("received from the phone"), default=timezone.now)

    class Meta:
        verbose_name = _("action sent from a phone")
        verbose_name_plural = _("actions sent from phones")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "client_id"], name="unique_synced_action"),
        ]
        indexes = [models.Index(fields=["created_at"], name="synced_action_created")]  # pruning

    def __str__(self):
        return f"{self.volunteer_id} · {self.client_id}"
