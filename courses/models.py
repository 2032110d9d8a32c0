"""The models of `courses`, gathered under one app label so that no table is renamed.

Each room owns its models: authoring the pages and help lines (`courses.authoring.models`),
learning the enrolments, progress and completions (`courses.learning.models`), quizzes the quiz
page, attempts and results (`courses.quizzes.models`). Django loads them from here; other apps
may import any of them from here too. Code inside `courses` imports from the room that owns a
model, so the rooms' dependencies stay visible.
"""

from courses.authoring.models import (
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    CoursePageTag,
    HelpLine,
    LessonPage,
    ModulePage,
    SummaryMixin,
)
from courses.authoring.page_mixins import (
    LearningPageMixin,
    TranslationFallbackMixin,
    keep_reader_language,
    view_restriction_exists,
)
from courses.evaluations.models import EvaluationAnswer, EvaluationDone, EvaluationForm
from courses.learning.models import (
    CourseCompletion,
    CourseRun,
    Enrollment,
    LessonProgress,
    RunWaitlistEntry,
    SyncedAction,
)
from courses.live.models import CalendarFeed, LiveSession, SessionAttendance, SessionReminder
from courses.quizzes.bank import BankQuestion, BankQuestionTag
from courses.quizzes.models import (
    REVIEW_PARTS,
    GradingMethod,
    MultipleChoiceScoring,
    OverdueHandling,
    QuizAttempt,
    QuizPage,
    QuizResult,
)

__all__ = [
    "REVIEW_PARTS",
    "BankQuestion",
    "BankQuestionTag",
    "CalendarFeed",
    "CompletionRule",
    "CourseCompletion",
    "CourseIndexPage",
    "CoursePage",
    "CoursePageTag",
    "CourseRun",
    "Enrollment",
    "EvaluationAnswer",
    "EvaluationDone",
    "EvaluationForm",
    "GradingMethod",
    "HelpLine",
    "LearningPageMixin",
    "LessonPage",
    "LessonProgress",
    "LiveSession",
    "ModulePage",
    "MultipleChoiceScoring",
    "OverdueHandling",
    "QuizAttempt",
    "QuizPage",
    "QuizResult",
    "RunWaitlistEntry",
    "SessionAttendance",
    "SessionReminder",
    "SummaryMixin",
    "SyncedAction",
    "TranslationFallbackMixin",
    "keep_reader_language",
    "view_restriction_exists",
]
