"""The question bank: bank questions (one question block each, tagged), quizzes drawing from it
(a chosen question, or N at random from a tag), and the right to keep the bank for trainers, lead
trainers, staff and country coordinators (who do what staff do); deleting is for staff and
coordinators."""

import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
import modelsearch.index
import wagtail.fields
from django.conf import settings
from django.db import migrations, models

import courses.quizzes.blocks

TRAINER_PERMISSIONS = ["add_bankquestion", "change_bankquestion", "view_bankquestion"]
STAFF_PERMISSIONS = [*TRAINER_PERMISSIONS, "delete_bankquestion"]


def grant_bank_permissions(apps, schema_editor=None):
    """Idempotent; also rebuilds what a test flush removed (tests/conftest.py)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="bankquestion")

    def permission(codename):
        found, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        return found

    for name, codenames in (
        ("Trainers", TRAINER_PERMISSIONS),
        ("Lead trainers", TRAINER_PERMISSIONS),
        ("Staff", STAFF_PERMISSIONS),
        ("Country coordinators", STAFF_PERMISSIONS),
    ):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*(permission(codename) for codename in codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0015_course_review_workflow"),
        ("volunteers", "0010_country_coordinators"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="quizpage",
            name="questions",
            field=wagtail.fields.StreamField(
                [
                    ("single_choice", 8),
                    ("multiple_choice", 8),
                    ("true_false", 11),
                    ("short_answer", 14),
                    ("matching", 19),
                    ("bank_question", 20),
                    ("bank_draw", 23),
                ],
                block_lookup={
                    0: ("wagtail.blocks.TextBlock", (), {"label": "Question", "max_length": 1000}),
                    1: ("wagtail.blocks.CharBlock", (), {"label": "Choice", "max_length": 300}),
                    2: ("wagtail.blocks.BooleanBlock", (), {"label": "Correct", "required": False}),
                    3: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "label": "Feedback for this choice",
                            "max_length": 500,
                            "required": False,
                            "search_index": False,
                        },
                    ),
                    4: ("wagtail.blocks.StructBlock", [[("text", 1), ("correct", 2), ("feedback", 3)]], {}),
                    5: ("wagtail.blocks.ListBlock", (4,), {"label": "Choices", "max_num": 12, "min_num": 2}),
                    6: (
                        "wagtail.blocks.DecimalBlock",
                        (),
                        {
                            "decimal_places": 2,
                            "default": 1,
                            "label": "Points",
                            "max_value": 100,
                            "min_value": 0,
                        },
                    ),
                    7: (
                        "wagtail.blocks.TextBlock",
                        (),
                        {
                            "help_text": "Shown after the attempt when the quiz's review options allow it.",
                            "label": "Feedback",
                            "max_length": 1000,
                            "required": False,
                            "search_index": False,
                        },
                    ),
                    8: (
                        "wagtail.blocks.StructBlock",
                        [[("prompt", 0), ("choices", 5), ("points", 6), ("feedback", 7)]],
                        {},
                    ),
                    9: ("wagtail.blocks.TextBlock", (), {"label": "Statement", "max_length": 1000}),
                    10: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("true", "True"), ("false", "False")], "label": "The statement is"},
                    ),
                    11: (
                        "wagtail.blocks.StructBlock",
                        [[("prompt", 9), ("answer", 10), ("points", 6), ("feedback", 7)]],
                        {},
                    ),
                    12: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Accepted answer", "max_length": 200, "search_index": False},
                    ),
                    13: (
                        "wagtail.blocks.ListBlock",
                        (12,),
                        {
                            "help_text": "Case, extra spaces and Thai or Arabic digits are ignored when comparing.",
                            "label": "Accepted answers",
                            "max_num": 20,
                            "min_num": 1,
                        },
                    ),
                    14: (
                        "wagtail.blocks.StructBlock",
                        [[("prompt", 0), ("accepted", 13), ("points", 6), ("feedback", 7)]],
                        {},
                    ),
                    15: ("wagtail.blocks.CharBlock", (), {"label": "Item", "max_length": 200}),
                    16: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"label": "Its match", "max_length": 200, "search_index": False},
                    ),
                    17: ("wagtail.blocks.StructBlock", [[("item", 15), ("match", 16)]], {}),
                    18: ("wagtail.blocks.ListBlock", (17,), {"label": "Pairs", "max_num": 10, "min_num": 2}),
                    19: (
                        "wagtail.blocks.StructBlock",
                        [[("prompt", 0), ("pairs", 18), ("points", 6), ("feedback", 7)]],
                        {},
                    ),
                    20: (
                        "wagtail.snippets.blocks.SnippetChooserBlock",
                        ("courses.BankQuestion",),
                        {"icon": "snippet", "label": "Question from the bank"},
                    ),
                    21: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": courses.quizzes.blocks.bank_tag_choices, "label": "Tag"},
                    ),
                    22: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 5, "label": "Number of questions", "max_value": 50, "min_value": 1},
                    ),
                    23: ("wagtail.blocks.StructBlock", [[("tag", 21), ("count", 22)]], {}),
                },
                verbose_name="questions",
            ),
        ),
        migrations.CreateModel(
            name="BankQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "question",
                    wagtail.fields.StreamField(
                        [
                            ("single_choice", 8),
                            ("multiple_choice", 8),
                            ("true_false", 11),
                            ("short_answer", 14),
                            ("matching", 19),
                        ],
                        block_lookup={
                            0: ("wagtail.blocks.TextBlock", (), {"label": "Question", "max_length": 1000}),
                            1: ("wagtail.blocks.CharBlock", (), {"label": "Choice", "max_length": 300}),
                            2: ("wagtail.blocks.BooleanBlock", (), {"label": "Correct", "required": False}),
                            3: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {
                                    "label": "Feedback for this choice",
                                    "max_length": 500,
                                    "required": False,
                                    "search_index": False,
                                },
                            ),
                            4: (
                                "wagtail.blocks.StructBlock",
                                [[("text", 1), ("correct", 2), ("feedback", 3)]],
                                {},
                            ),
                            5: (
                                "wagtail.blocks.ListBlock",
                                (4,),
                                {"label": "Choices", "max_num": 12, "min_num": 2},
                            ),
                            6: (
                                "wagtail.blocks.DecimalBlock",
                                (),
                                {
                                    "decimal_places": 2,
                                    "default": 1,
                                    "label": "Points",
                                    "max_value": 100,
                                    "min_value": 0,
                                },
                            ),
                            7: (
                                "wagtail.blocks.TextBlock",
                                (),
                                {
                                    "help_text": "Shown after the attempt when the quiz's review options allow it.",
                                    "label": "Feedback",
                                    "max_length": 1000,
                                    "required": False,
                                    "search_index": False,
                                },
                            ),
                            8: (
                                "wagtail.blocks.StructBlock",
                                [[("prompt", 0), ("choices", 5), ("points", 6), ("feedback", 7)]],
                                {},
                            ),
                            9: ("wagtail.blocks.TextBlock", (), {"label": "Statement", "max_length": 1000}),
                            10: (
                                "wagtail.blocks.ChoiceBlock",
                                [],
                                {
                                    "choices": [("true", "True"), ("false", "False")],
                                    "label": "The statement is",
                                },
                            ),
                            11: (
                                "wagtail.blocks.StructBlock",
                                [[("prompt", 9), ("answer", 10), ("points", 6), ("feedback", 7)]],
                                {},
                            ),
                            12: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "Accepted answer", "max_length": 200, "search_index": False},
                            ),
                            13: (
                                "wagtail.blocks.ListBlock",
                                (12,),
                                {
                                    "help_text": "Case, extra spaces and Thai or Arabic digits are ignored when comparing.",
                                    "label": "Accepted answers",
                                    "max_num": 20,
                                    "min_num": 1,
                                },
                            ),
                            14: (
                                "wagtail.blocks.StructBlock",
                                [[("prompt", 0), ("accepted", 13), ("points", 6), ("feedback", 7)]],
                                {},
                            ),
                            15: ("wagtail.blocks.CharBlock", (), {"label": "Item", "max_length": 200}),
                            16: (
                                "wagtail.blocks.CharBlock",
                                (),
                                {"label": "Its match", "max_length": 200, "search_index": False},
                            ),
                            17: ("wagtail.blocks.StructBlock", [[("item", 15), ("match", 16)]], {}),
                            18: (
                                "wagtail.blocks.ListBlock",
                                (17,),
                                {"label": "Pairs", "max_num": 10, "min_num": 2},
                            ),
                            19: (
                                "wagtail.blocks.StructBlock",
                                [[("prompt", 0), ("pairs", 18), ("points", 6), ("feedback", 7)]],
                                {},
                            ),
                        },
                        verbose_name="question",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
            ],
            options={
                "verbose_name": "bank question",
                "verbose_name_plural": "question bank",
                "ordering": ["-updated_at", "-pk"],
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name="BankQuestionTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "content_object",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tagged_items",
                        to="courses.bankquestion",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)s_items",
                        to="taggit.tag",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="bankquestion",
            name="tags",
            field=modelcluster.contrib.taggit.ClusterTaggableManager(
                blank=True,
                help_text="A comma-separated list of tags.",
                through="courses.BankQuestionTag",
                to="taggit.Tag",
                verbose_name="tags",
            ),
        ),
        migrations.RunPython(grant_bank_permissions, migrations.RunPython.noop),
    ]
