"""Live sessions: a run's online meetings, who attended them, and each volunteer's calendar feed.

Times are stored in UTC and shown in the reader's own zone beside Bangkok time. A session is not
translated (like its run, it is shown as written). The meeting link is the trainer's; volunteers
see it only shortly before the session (`link_opens_minutes`), and the calendar never carries it.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.learning.models import CourseRun
from training.dates import refuse_buddhist_era

CALENDAR_TOKEN_BYTES = 16  # 128 bits


class LiveSession(models.Model):
    run = models.ForeignKey(
        CourseRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(
        _("session title"), max_length=200, help_text=_("For example “วงสนทนากับเครือข่ายไทยในนอร์เวย์”.")
    )
    starts = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    meeting_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        validators=[URLValidator(schemes=["https"])],
        help_text=_(
            "The video call's address (https). Enrolled volunteers see it shortly before the session."
        ),
    )
    link_opens_minutes = models.PositiveSmallIntegerField(
        _("show the link from (minutes before)"),
        default=30,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("How long before the start enrolled volunteers see the meeting link."),
    )
    description = models.TextField(
        _("what to prepare"), blank=True, help_text=_("Shown on the session page and in the calendar.")
    )
    # The calendar's identity of the event (RFC 5545 UID) and its revision (SEQUENCE): a calendar
    # that imported the session updates it when the time changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        ordering = ["starts", "pk"]
        # Trainers keep the sessions of the courses they may edit; this lets staff keep every one.
        permissions = [("manage_all_livesessions", _("Can keep the live sessions of every course"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=1), name="live_session_duration"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """An existing session's every save is a new revision for calendars: SEQUENCE goes up by one
        (in the database, so two saves at once count twice) and its time of change is now."""
        if not self._state.adding:
            self.sequence = models.F("sequence") + 1
            self.updated_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "sequence", "updated_at"}
        super().save(*args, **kwargs)
        if isinstance(self.sequence, models.expressions.Combinable):
            self.refresh_from_db(fields=["sequence"])

    @property
    def ends(self):
        return self.starts + timedelta(minutes=self.duration_minutes)

    @property
    def link_opens(self):
        return self.starts - timedelta(minutes=self.link_opens_minutes)

    def link_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.link_opens <= now < self.ends

    def clean(self):
        errors = {}
        try:
            refuse_buddhist_era(self.starts)
        except ValidationError as error:
            errors["starts"] = error
        if self.starts and self.run_id and "starts" not in errors and self.starts >= self.run.ends:
            errors["starts"] = _("The session must start before the run's deadline.")
        if errors:
            raise ValidationError(errors)


class SessionAttendance(models.Model):
    """A volunteer attended a live session, as the trainer recorded it (one row per person and session)."""

    class Source(models.TextChoices):
        LIST = "list", _("Ticked in the attendance list")
        UPLOAD = "upload", _("From the meeting tool's attendance file")

    session = models.ForeignKey(
        LiveSession, verbose_name=_("live session"), on_delete=models.CASCADE, related_name="attendance"
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="live_session_attendance",
    )
    source = models.CharField(_("recorded from"), max_length=10, choices=Source.choices, default=Source.LIST)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "volunteer"], name="unique_session_attendance"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.session_id}"


class SessionReminder(models.Model):
    """A volunteer was reminded of a session (once per person and session)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminders")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(fields=["session", "volunteer"], name="unique_session_reminder"),
        ]

    def __str__(self):
        return f"{self.volunteer_id} · {self.session_id}"


def calendar_token() -> str:
    return secrets.token_hex(CALENDAR_TOKEN_BYTES)


class CalendarFeed(models.Model):
    """A volunteer's calendar subscription: its address carries `token` (128 random bits), which the
    volunteer can replace at any time (the old address stops working) and which erasure deletes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(max_length=2 * CALENDAR_TOKEN_BYTES, unique=True, default=calendar_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user_id}"
