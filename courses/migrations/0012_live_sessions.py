"""Live sessions of course runs: the session, its attendance and reminders, each volunteer's
calendar feed, the sessions a course asks volunteers to attend; and the rights to keep them."""

import uuid

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import courses.live.models

SESSION_PERMISSIONS = [
    "add_livesession",
    "change_livesession",
    "delete_livesession",
    "view_livesession",
    "add_sessionattendance",
    "change_sessionattendance",
    "delete_sessionattendance",
    "view_sessionattendance",
]


def grant_session_permissions(apps, schema_editor=None):
    """Trainers and staff keep the live sessions of the courses they may edit (staff: all) and record
    attendance. Idempotent; also rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    def permission(codename):
        model = "livesession" if codename == "manage_all_livesessions" else codename.split("_", 1)[1]
        content_type, _ = ContentType.objects.get_or_create(app_label="courses", model=model)
        found, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        return found

    for name, codenames in (
        ("Trainers", SESSION_PERMISSIONS),
        ("Lead trainers", SESSION_PERMISSIONS),
        ("Staff", [*SESSION_PERMISSIONS, "manage_all_livesessions"]),
    ):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*(permission(codename) for codename in codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_course_runs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="coursepage",
            name="live_sessions_required",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="How many live sessions of their run a volunteer must attend (as the trainer records it) before the course is completed. 0: attendance is not required.",
                validators=[django.core.validators.MaxValueValidator(50)],
                verbose_name="live sessions to attend",
            ),
        ),
        migrations.CreateModel(
            name="CalendarFeed",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "token",
                    models.CharField(default=courses.live.models.calendar_token, max_length=32, unique=True),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="calendar_feed",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "calendar feed",
                "verbose_name_plural": "calendar feeds",
            },
        ),
        migrations.CreateModel(
            name="LiveSession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        help_text="For example “วงสนทนากับเครือข่ายไทยในนอร์เวย์”.",
                        max_length=200,
                        verbose_name="session title",
                    ),
                ),
                ("starts", models.DateTimeField(verbose_name="starts")),
                (
                    "duration_minutes",
                    models.PositiveSmallIntegerField(
                        default=60,
                        validators=[
                            django.core.validators.MinValueValidator(5),
                            django.core.validators.MaxValueValidator(600),
                        ],
                        verbose_name="duration (minutes)",
                    ),
                ),
                (
                    "meeting_url",
                    models.URLField(
                        help_text="The video call's address (https). Enrolled volunteers see it shortly before the session.",
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["https"])],
                        verbose_name="online meeting link",
                    ),
                ),
                (
                    "link_opens_minutes",
                    models.PositiveSmallIntegerField(
                        default=30,
                        help_text="How long before the start enrolled volunteers see the meeting link.",
                        validators=[django.core.validators.MaxValueValidator(1440)],
                        verbose_name="show the link from (minutes before)",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        help_text="Shown on the session page and in the calendar.",
                        verbose_name="what to prepare",
                    ),
                ),
                ("uid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("sequence", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="updated"
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="live_sessions",
                        to="courses.courserun",
                        verbose_name="run",
                    ),
                ),
            ],
            options={
                "verbose_name": "live session",
                "verbose_name_plural": "live sessions",
                "ordering": ["starts", "pk"],
                "permissions": [("manage_all_livesessions", "Can keep the live sessions of every course")],
            },
        ),
        migrations.CreateModel(
            name="SessionAttendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("list", "Ticked in the attendance list"),
                            ("upload", "From the meeting tool's attendance file"),
                        ],
                        default="list",
                        max_length=10,
                        verbose_name="recorded from",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded"),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="courses.livesession",
                        verbose_name="live session",
                    ),
                ),
                (
                    "volunteer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="live_session_attendance",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="volunteer",
                    ),
                ),
            ],
            options={
                "verbose_name": "attendance",
                "verbose_name_plural": "attendance",
            },
        ),
        migrations.CreateModel(
            name="SessionReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="courses.livesession",
                    ),
                ),
                (
                    "volunteer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session reminder",
                "verbose_name_plural": "session reminders",
            },
        ),
        migrations.AddConstraint(
            model_name="livesession",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration_minutes__gte", 1)), name="live_session_duration"
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionattendance",
            constraint=models.UniqueConstraint(
                fields=("session", "volunteer"), name="unique_session_attendance"
            ),
        ),
        migrations.AddConstraint(
            model_name="sessionreminder",
            constraint=models.UniqueConstraint(
                fields=("session", "volunteer"), name="unique_session_reminder"
            ),
        ),
        migrations.RunPython(grant_session_permissions, migrations.RunPython.noop),
    ]
