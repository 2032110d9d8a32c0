"""What evaluations keep about a person: only that they evaluated a course (the "done" mark). Their
answers are stored without any link to them, so an export cannot find them and an erasure has
nothing of theirs to remove there: the answers are not personal data and stay."""

from django.utils.translation import gettext as _

from courses.evaluations.models import EvaluationDone
from volunteers.privacy import PrivacyProvider, register_privacy_provider


def export_evaluations(user) -> dict:
    return {
        "evaluated_courses": [
            done.course.title
            for done in EvaluationDone.objects.filter(volunteer=user).select_related("course").order_by("pk")
        ],
        "about_the_answers": _(
            "Your evaluation answers are stored without your name, account or date, so they cannot be "
            "found again or included here."
        ),
    }


def erase_evaluations(user, identifiers: list[str]) -> None:
    EvaluationDone.objects.filter(volunteer=user).delete()


def register_evaluation_privacy_provider() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="evaluations",
            models=(EvaluationDone,),
            export=export_evaluations,
            erase=erase_evaluations,
            order=290,
        )
    )
