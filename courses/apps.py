from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses as Wagtail pages, enrolment, lesson progress and quizzes."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from wagtail.signals import copy_for_translation_done, page_published

        from courses import registration_requirements, services
        from courses.learning_records import register_learning_providers, register_record_actions
        from courses.translation_privacy import register_translation_privacy_provider

        register_learning_providers()
        register_translation_privacy_provider()
        register_record_actions()
        registration_requirements.register()
        copy_for_translation_done.connect(
            services.on_copy_for_translation, dispatch_uid="courses_catalog_rights"
        )
        page_published.connect(services.on_page_published, dispatch_uid="courses_tree_counts")
