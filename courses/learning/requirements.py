"""The courses an applicant must complete before registration, as a volunteers registration requirement."""

from django.conf import settings
from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

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


def with_required_courses_done(profiles: QuerySet) -> tuple[QuerySet, Q]:
    """`profiles` annotated with how many courses required for registration each completed, and
    the condition "trained" (completed every one of them): the registration requirement and the
    staff charts' funnel both count with it."""
    required = list(required_courses().values_list("pk", flat=True))
    done = Subquery(
        CourseCompletion.objects.filter(volunteer=OuterRef("user"), course_id__in=required)
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT"))
        .values("total"),
        output_field=IntegerField(),
    )
    return profiles.annotate(required_done=done), Q(required_done__gte=len(required))


def profiles_with_required_courses(profiles: QuerySet) -> QuerySet:
    """The volunteer profiles whose person completed every course required for registration."""
    annotated, trained = with_required_courses_done(profiles)
    return annotated.filter(trained)


def register() -> None:
    register_registration_requirement(
        RegistrationRequirement(
            key="required_courses", missing=missing_required_courses, meeting=profiles_with_required_courses
        )
    )
