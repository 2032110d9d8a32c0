"""The courses an applicant must complete before registration, as a volunteers registration requirement."""

from django.conf import settings

from courses.authoring.models import CoursePage
from courses.learning.models import CourseCompletion
from volunteers.registration import RegistrationRequirement, register_registration_requirement


def required_courses():
    """Live default-locale courses marked "required for registration"."""
    return CoursePage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE, required_for_registration=True
    )


def missing_required_courses(profile) -> list[str]:
    completed = CourseCompletion.objects.filter(volunteer_id=profile.user_id).values("course_id")
    return list(required_courses().exclude(pk__in=completed).order_by("path").values_list("title", flat=True))


def register() -> None:
    register_registration_requirement(
        RegistrationRequirement(key="required_courses", missing=missing_required_courses)
    )
