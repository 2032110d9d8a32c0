"""The invariants `make bench` depends on, checked in `make test`: the exact number of queries of each
page the benchmark scenarios request, so any increase fails here before it slows the benchmark.

The course is built like the benchmark's (modules of lessons, each module ending in a ten-question
quiz), with a volunteer halfway through it. The verify page's counts (2, then 1 from the cache) are
pinned in tests/certificates/test_verification.py, and the export's flat memory in
tests/courses/reports/test_reports.py.
"""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.services import certificate_issue
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseCompletion, CoursePage, LessonPage, ModulePage, QuizAttempt, QuizPage
from courses.quizzes.grading import choice_value
from tests.factories import PASSWORD, catalog_page, make_user, make_volunteer
from tests.query_counts import beyond_the_session

pytestmark = pytest.mark.django_db

QUESTIONS = 10

# One number per request of the benchmark's scenarios, not counting the session store's queries.
# Raise one only with the reason in the commit.
EXPECTED = {
    # The course's structure, its page, the site and its root are kept per content version
    # (training.content_version): the reader, the version and the reader's state remain.
    "course page, signed in with progress": 3,
    "lesson page": 3,
    "mark as done (POST)": 18,  # the lesson is read with whether a view restriction applies
    # The attempts are read once, without a lock: closing an overdue one (rare) locks and reads again.
    # Routing loads whether the quiz is Thai with it: its Thai version asks nothing more.
    "quiz page": 5,
    # A start sent again is found among the person's attempts, read anyway, not by its own query.
    "quiz start (POST)": 13,
    # The attempt's person and quiz are the request's, not read again; a first result is one write.
    "quiz submit of 10 questions (POST)": 20,
    # + the content version, under which the privacy notice's version is kept (issue 19: a new notice
    # reaches every worker at once, without a shared cache)
    "dashboard": 6,
    "my certificates": 3,  # + the content version, for the header's catalog link (issue 16)
    "certificate PDF, rendered on demand": 3,  # + the content version, as the dashboard
    "CSV export of the completions": 9,
}


def ten_questions() -> list[dict]:
    return [
        {
            "type": "single_choice",
            "id": f"q{n}",
            "value": {
                "prompt": f"Question {n}",
                "points": "1",
                "feedback": "",
                "choices": [
                    {
                        "type": "item",
                        "id": f"q{n}-{kind}",
                        "value": {"text": kind, "correct": ok, "feedback": ""},
                    }
                    for kind, ok in (("right", True), ("wrong", False))
                ],
            },
        }
        for n in range(1, QUESTIONS + 1)
    ]


def right_answers(token: str) -> dict[str, str]:
    """The right choices as the attempt's form offers them (opaque values of that attempt)."""
    return {
        f"answer-q{n}": choice_value(key=token, question={"id": f"q{n}"}, choice={"id": f"q{n}-right"})
        for n in range(1, QUESTIONS + 1)
    }


def build_course(
    slug: str, modules: int, lessons: int = 5
) -> tuple[CoursePage, list[LessonPage], list[QuizPage]]:
    now = timezone.now()
    course = CoursePage(
        title=f"Course {slug}", slug=slug, summary="Summary", live=True, first_published_at=now
    )
    catalog_page().add_child(instance=course)
    made_lessons, made_quizzes = [], []
    for m in range(modules):
        module = ModulePage(title=f"Module {m}", slug=f"module-{m}", summary="Module", first_published_at=now)
        course.add_child(instance=module)
        for n in range(lessons):
            lesson = LessonPage(
                title=f"Lesson {m}.{n}",
                slug=f"lesson-{n}",
                body=[{"type": "text", "value": "<p>Text</p>"}],
                first_published_at=now,
            )
            module.add_child(instance=lesson)
            made_lessons.append(lesson)
        quiz = QuizPage(title=f"Quiz {m}", slug="quiz", questions=ten_questions(), first_published_at=now)
        module.add_child(instance=quiz)
        made_quizzes.append(quiz)
    return course, made_lessons, made_quizzes


def counted(client, method: str, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(beyond_the_session(captured))


def warm_get(client, url: str) -> int:
    """The second visit's count: route, site and locale caches warm, as any visitor after the first."""
    client.get(url)
    return counted(client, "GET", url)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def learner(client):
    profile = make_volunteer()
    client.force_login(profile.user)
    return profile.user


def halfway(volunteer, course, lessons) -> None:
    course_enrol(volunteer=volunteer, course=course)
    for lesson in lessons[: len(lessons) // 2]:
        lesson_complete(volunteer=volunteer, lesson=lesson)


def quiz_submission_counts(client, quiz) -> tuple[int, int]:
    token = str(uuid.uuid4())
    start = counted(client, "POST", quiz.url, {"action": "start", "token": token})
    submit = counted(client, "POST", quiz.url, {"action": "submit", "attempt": token, **right_answers(token)})
    return start, submit


def test_each_benchmark_page_costs_exactly_its_pinned_number_of_queries(client, learner):
    course, lessons, quizzes = build_course("bench", modules=4)
    halfway(learner, course, lessons)
    other_course, _other_lessons, _other_quizzes = build_course("done", modules=1)
    course_enrol(volunteer=learner, course=other_course)
    CourseCompletion.objects.create(volunteer=learner, course=other_course)
    certificate = certificate_issue(volunteer=learner, course=other_course)
    counts = {
        "course page, signed in with progress": warm_get(client, course.url),
        "lesson page": warm_get(client, lessons[-1].url),
        "quiz page": warm_get(client, quizzes[-1].url),
        "dashboard": warm_get(client, "/learn/"),
        "my certificates": warm_get(client, "/learn/certificates/"),
        "certificate PDF, rendered on demand": warm_get(client, f"/certificates/{certificate.token}.pdf"),
    }
    client.post(f"/learn/lessons/{lessons[-2].pk}/done/")  # warm the POST path on another lesson
    counts["mark as done (POST)"] = counted(client, "POST", f"/learn/lessons/{lessons[-3].pk}/done/")
    quiz_submission_counts(client, quizzes[0])  # warm
    counts["quiz start (POST)"], counts["quiz submit of 10 questions (POST)"] = quiz_submission_counts(
        client, quizzes[1]
    )
    assert QuizAttempt.objects.filter(volunteer=learner, state=QuizAttempt.State.FINISHED).count() == 2

    staff = make_user(group="Staff")
    client.logout()
    client.login(email=staff.email, password=PASSWORD)
    export = "/admin/reports/completions/?export=csv"
    client.get(export)
    counts["CSV export of the completions"] = counted(client, "GET", export)
    assert counts == EXPECTED


def test_the_course_page_costs_the_same_for_2_and_8_modules_with_quizzes(client, learner):
    small, small_lessons, _ = build_course("small", modules=2)
    large, large_lessons, _ = build_course("large", modules=8)
    halfway(learner, small, small_lessons)
    halfway(learner, large, large_lessons)
    assert warm_get(client, small.url) == warm_get(client, large.url)
    assert warm_get(client, small_lessons[-1].url) == warm_get(client, large_lessons[-1].url)


def test_the_csv_export_costs_the_same_for_20_and_200_completions(client):
    course, _lessons, _quizzes = build_course("export", modules=1, lessons=1)
    staff = make_user(group="Staff")
    client.login(email=staff.email, password=PASSWORD)
    export = "/admin/reports/completions/?export=csv"

    def complete(first: int, last: int) -> None:
        for number in range(first, last):
            profile = make_volunteer(email=f"export{number}@example.org", given_name_th=f"ชื่อ{number}")
            CourseCompletion.objects.create(volunteer=profile.user, course=course)

    complete(0, 20)
    client.get(export)
    few = counted(client, "GET", export)
    complete(20, 200)
    assert counted(client, "GET", export) == few
