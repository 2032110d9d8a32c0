from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses as Wagtail pages, enrolment, lesson progress and quizzes."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from courses import registration_requirements
        from courses.learning_records import register_learning_providers, register_record_actions

        register_learning_providers()
        register_record_actions()
        registration_requirements.register()
