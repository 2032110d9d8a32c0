"""What the question bank keeps about the trainers who write questions: who added each one. The
questions are course content, not personal data, so they stay; erasure forgets who wrote them."""

from courses.quizzes.bank import BankQuestion
from volunteers.privacy import PrivacyProvider, register_privacy_provider


def export_bank_questions(user) -> dict:
    return {"bank_questions_you_added": BankQuestion.objects.filter(created_by=user).count()}


def erase_bank_questions(user, identifiers: list[str]) -> None:
    BankQuestion.objects.filter(created_by=user).update(created_by=None)


def register_bank_privacy_provider() -> None:
    register_privacy_provider(
        PrivacyProvider(
            label="question bank",
            models=(BankQuestion,),
            export=export_bank_questions,
            erase=erase_bank_questions,
            order=285,
        )
    )
