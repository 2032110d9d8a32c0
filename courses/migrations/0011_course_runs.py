"""Course runs (editions): the run, its waiting list, the run an enrolment, a completion and a quiz
attempt belong to, a staff extension of one volunteer's deadline; and the rights to keep them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import volunteers.countries

RUN_PERMISSIONS = ["add_courserun", "change_courserun", "delete_courserun", "view_courserun"]
STAFF_PERMISSIONS = [*RUN_PERMISSIONS, "view_runwaitlistentry", "change_enrollment"]


def grant_run_permissions(apps, schema_editor=None):
    """Trainers and staff keep the runs of courses; staff also see waiting lists and move
    volunteers between runs or extend their deadline (changing an enrolment). Idempotent; also
    rebuilds what a test flush removed."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    def permission(codename):
        model = codename.split("_", 1)[1]
        content_type, _ = ContentType.objects.get_or_create(app_label="courses", model=model)
        found, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        return found

    for name, codenames in (
        ("Trainers", RUN_PERMISSIONS),
        ("Lead trainers", RUN_PERMISSIONS),
        ("Staff", STAFF_PERMISSIONS),
    ):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*(permission(codename) for codename in codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0010_end_of_course_evaluation"),
        ("volunteers", "0006_account_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="deadline_extended_to",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deadline extended to"),
        ),
        migrations.CreateModel(
            name="CourseRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="For example “รุ่นที่ 3 / 2570”.", max_length=120, verbose_name="name"
                    ),
                ),
                ("enrolment_opens", models.DateTimeField(verbose_name="enrolment opens")),
                ("enrolment_closes", models.DateTimeField(verbose_name="enrolment closes")),
                ("starts", models.DateTimeField(verbose_name="starts")),
                (
                    "ends",
                    models.DateTimeField(
                        help_text="Volunteers must complete the course by this time.",
                        verbose_name="ends (deadline)",
                    ),
                ),
                (
                    "seats",
                    models.PositiveIntegerField(
                        blank=True, help_text="Leave empty for no limit.", null=True, verbose_name="seats"
                    ),
                ),
                (
                    "country",
                    models.CharField(
                        blank=True,
                        choices=volunteers.countries.country_choices,
                        help_text="Leave empty for volunteers in every country.",
                        max_length=2,
                        verbose_name="only for volunteers living in",
                    ),
                ),
                (
                    "fresh_start",
                    models.BooleanField(
                        default=False,
                        help_text="Volunteers moved into this run start the course again: their lessons done are cleared.",
                        verbose_name="starts afresh",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                (
                    "course",
                    models.ForeignKey(
                        limit_choices_to={"locale__language_code": "th"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="runs",
                        to="courses.coursepage",
                        verbose_name="course",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for volunteers of every organisation.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="course_runs",
                        to="volunteers.organization",
                        verbose_name="only for volunteers of",
                    ),
                ),
            ],
            options={
                "verbose_name": "course run",
                "verbose_name_plural": "course runs",
                "ordering": ["course", "starts", "pk"],
            },
        ),
        migrations.AddField(
            model_name="coursecompletion",
            name="run",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="completions",
                to="courses.courserun",
                verbose_name="run",
            ),
        ),
        migrations.AddField(
            model_name="enrollment",
            name="run",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="enrollments",
                to="courses.courserun",
                verbose_name="run",
            ),
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="run",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="quiz_attempts",
                to="courses.courserun",
                verbose_name="run",
            ),
        ),
        migrations.CreateModel(
            name="RunWaitlistEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="joined the waiting list"
                    ),
                ),
                (
                    "run",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="waitlist",
                        to="courses.courserun",
                        verbose_name="run",
                    ),
                ),
                (
                    "volunteer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="run_waitlist_entries",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="volunteer",
                    ),
                ),
            ],
            options={
                "verbose_name": "waiting list entry",
                "verbose_name_plural": "waiting list",
                "ordering": ["run", "created_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="courserun",
            constraint=models.UniqueConstraint(fields=("course", "name"), name="unique_course_run_name"),
        ),
        migrations.AddConstraint(
            model_name="courserun",
            constraint=models.CheckConstraint(
                condition=models.Q(("enrolment_closes__gt", models.F("enrolment_opens"))),
                name="course_run_enrolment_window",
            ),
        ),
        migrations.AddConstraint(
            model_name="courserun",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends__gt", models.F("starts"))), name="course_run_dates"
            ),
        ),
        migrations.AddConstraint(
            model_name="courserun",
            constraint=models.CheckConstraint(
                condition=models.Q(("seats__isnull", True), ("seats__gte", 1), _connector="OR"),
                name="course_run_seats",
            ),
        ),
        migrations.AddConstraint(
            model_name="runwaitlistentry",
            constraint=models.UniqueConstraint(fields=("run", "volunteer"), name="unique_run_waitlist_entry"),
        ),
        migrations.RunPython(grant_run_permissions, migrations.RunPython.noop),
    ]
