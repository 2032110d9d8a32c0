"""Shared steps for the evaluation tests: a course that requires the evaluation, and a volunteer who
has done its lessons."""

from courses.evaluations.models import EvaluationForm
from courses.learning.services import course_enrol, lesson_complete
from tests.factories import make_course_tree, make_volunteer

RELEVANCE = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1001"
CLARITY = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1002"
CONFIDENCE = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1003"
DEVICE = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1004"
PHONE = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1101"
IMPROVE = "6f1c2a8e-0b7d-4c55-9a43-1e0c6d7a1005"

GOOD_POST = {
    f"q-{RELEVANCE}": "5",
    f"q-{CLARITY}": "4",
    f"q-{CONFIDENCE}": "4",
    f"q-{DEVICE}": PHONE,
    f"q-{IMPROVE}": "More examples from Norway, please.",
}
GOOD_ANSWERS = {
    RELEVANCE: 5,
    CLARITY: 4,
    CONFIDENCE: 4,
    DEVICE: PHONE,
    IMPROVE: "More examples from Norway, please.",
}


def default_form() -> EvaluationForm:
    return EvaluationForm.objects.get(is_default=True)


def evaluated_course(title: str = "Evaluated course"):
    """A published course that requires the (default) evaluation; returns (course, lesson)."""
    course, _module, lesson = make_course_tree(title=title)
    course.evaluation_required = True
    course.save_revision().publish()
    course.refresh_from_db()
    return course, lesson


def finished_volunteer(course, lesson, **profile):
    """A volunteer enrolled in the course with its one lesson done."""
    volunteer = make_volunteer(country=profile.pop("country", "NO"), **profile).user
    course_enrol(volunteer=volunteer, course=course)
    lesson_complete(volunteer=volunteer, lesson=lesson)
    return volunteer
