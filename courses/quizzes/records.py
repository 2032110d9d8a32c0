"""What the quizzes room holds about a person: attempts (with the person's own answers) and best
results, for the volunteer register's privacy registry, and the staff record section listing them.
Registered from `CoursesConfig.ready()`."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.quizzes.models import QuizAttempt, QuizResult
from volunteers.privacy import PrivacyProvider, register_privacy_provider
from volunteers.records import RecordSection, register_record_section


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_quizzes(user) -> dict:
    return {
        "quiz_attempts": [
            {
                "quiz": attempt.quiz.title,
                "attempt": attempt.number,
                "state": attempt.state,
                "started_at": _iso(attempt.started_at),
                "finished_at": _iso(attempt.finished_at),
                "score": str(attempt.score) if attempt.score is not None else None,
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": question["prompt"],
                        "answer": question.get("answer", attempt.answers.get(question["id"])),
                    }
                    for question in attempt.questions
                ],
            }
            for attempt in QuizAttempt.objects.filter(volunteer=user)
            .select_related("quiz")
            .order_by("started_at")
        ],
        "quiz_results": [
            {"quiz": result.quiz.title, "grade": str(result.grade), "passed": result.passed}
            for result in QuizResult.objects.filter(volunteer=user).select_related("quiz").order_by("pk")
        ],
    }


def erase_quizzes(user, identifiers: list[str]) -> None:
    # Attempts hold the person's own answers (free text): they go. Completions already recorded stay.
    QuizAttempt.objects.filter(volunteer=user).delete()
    QuizResult.objects.filter(volunteer=user).delete()


def _quiz_attempts_section(profile) -> dict:
    from courses.quizzes.selectors import volunteer_quiz_attempts

    return {
        "attempts": list(volunteer_quiz_attempts(user=profile.user)),
        "time_zone": settings.DISPLAY_TIME_ZONE,
    }


def register_quiz_providers() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="quizzes",
            models=(QuizAttempt, QuizResult),
            export=export_quizzes,
            erase=erase_quizzes,
            order=290,
        )
    )
    register_record_section(
        RecordSection(
            key="quiz_attempts",
            label=_("Quiz attempts"),
            template_name="courses/admin/record_quiz_attempts.html",
            get_context=_quiz_attempts_section,
            order=35,
        )
    )
