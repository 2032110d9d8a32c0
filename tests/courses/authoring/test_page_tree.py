"""The course page tree: where each page type may live, and creating each one through the admin."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from tests.conftest import restore_wagtail_basics
from tests.factories import catalog_page, make_course_tree, make_image
from training.models import HomePage


class CoursePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        restore_wagtail_basics()

    def setUp(self):
        self.login()
        self.home = HomePage.objects.get(depth=2, locale__language_code="th")
        self.catalog = catalog_page()

    def test_the_catalog_lives_only_under_the_home_page_and_holds_only_courses(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_a_course_lives_only_in_the_catalog_and_holds_only_modules(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage})

    def test_a_module_lives_only_in_a_course_and_holds_lessons_and_quizzes(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})

    def test_a_quiz_lives_only_in_a_module_and_has_no_children(self):
        self.assertAllowedParentPageTypes(QuizPage, {ModulePage})
        self.assertAllowedSubpageTypes(QuizPage, set())

    def test_a_lesson_lives_only_in_a_module_and_has_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_the_home_page_offers_the_catalog(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanNotCreateAt(Page, CourseIndexPage)

    def test_only_one_catalog_per_home_page(self):
        self.assertFalse(CourseIndexPage.can_create_at(self.home))

    def test_a_trainer_form_creates_a_course(self):
        image = make_image()
        self.assertCanCreate(
            self.catalog,
            CoursePage,
            nested_form_data(
                {
                    "title": "Welfare law basics",
                    "slug": "welfare-law-basics",
                    "summary": "What the Social Welfare Promotion Act means for organisations.",
                    "description": rich_text("<p>A longer description.</p>"),
                    "cover_image": image.pk,
                    "cover_alt": "A blue square",
                    "tags": "welfare law, organisations",
                    "estimated_hours": "1.5",
                    "audience": "New volunteers",
                    "completion_rule": "required_lessons_and_quizzes",
                    "issues_certificate": "on",
                    "live_sessions_required": "1",
                    "remind_after_days": "7",
                }
            ),
        )
        course = CoursePage.objects.get(slug="welfare-law-basics")
        assert sorted(course.tags.names()) == ["organisations", "welfare law"]
        assert course.remind_after_days == 7
        assert course.live_sessions_required == 1

    def test_a_cover_image_without_alternative_text_is_refused(self):
        image = make_image()
        response = self.client.post(
            f"/admin/pages/add/courses/coursepage/{self.catalog.pk}/",
            nested_form_data(
                {
                    "title": "No alt",
                    "slug": "no-alt",
                    "summary": "Summary",
                    "description": rich_text(""),
                    "cover_image": image.pk,
                    "cover_alt": "",
                    "tags": "",
                    "estimated_hours": "1",
                    "completion_rule": "required_lessons_and_quizzes",
                }
            ),
        )
        assert response.status_code == 200
        assert not CoursePage.objects.filter(slug="no-alt").exists()
        assert "cover_alt" in response.context["form"].errors

    def test_a_trainer_form_creates_a_module(self):
        course, _module, _lesson = make_course_tree(title="Ethics")
        self.assertCanCreate(
            course,
            ModulePage,
            nested_form_data({"title": "Confidentiality", "slug": "confidentiality", "summary": "Keep it."}),
        )

    def test_a_trainer_form_creates_a_lesson_with_every_kind_of_text_block(self):
        _course, module, _lesson = make_course_tree(title="Mental health")
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Listening",
                    "slug": "listening",
                    "estimated_minutes": "12",
                    "is_required": "on",
                    "is_sensitive": "on",
                    "content_note": "Talks about depression.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Listen first", "level": "h2"}),
                            ("text", rich_text("<p>Listen without judging.</p>")),
                            (
                                "callout",
                                {"kind": "warning", "title": "Safety", "text": rich_text("<p>Call 112.</p>")},
                            ),
                            ("reflection", {"prompt": "Who listens to you?"}),
                            ("help_lines", {"title": "Help", "intro": ""}),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="listening")
        assert [block.block_type for block in lesson.body] == [
            "heading",
            "text",
            "callout",
            "reflection",
            "help_lines",
        ]


@pytest.mark.django_db
def test_a_course_cannot_be_its_own_prerequisite():
    from django.core.exceptions import ValidationError

    course, _module, _lesson = make_course_tree(title="Loop")
    course.prerequisites.set([course])
    with pytest.raises(ValidationError):
        course.full_clean()
