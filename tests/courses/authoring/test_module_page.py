"""The module page lists its lessons and quizzes in course order, with a signed-in volunteer's state
for each, exactly as the course outline shows them."""

import uuid

import pytest
from bs4 import BeautifulSoup

from courses.learning.services import lesson_complete
from courses.models import QuizAttempt
from tests.courses.quizzes.quiz_helpers import WRONG_POST, add_quiz, as_posted
from tests.factories import enrolled_reader, make_course_tree

pytestmark = pytest.mark.django_db


def outline_rows(html: str, scope: str) -> list[tuple[str, str]]:
    """(title, state) of each item in the outline list inside `scope`."""
    soup = BeautifulSoup(html, "html.parser")
    rows = []
    for item in soup.select(f"{scope} .outline__item"):
        state = item.select_one(".state")
        rows.append((item.a.get_text(strip=True), " ".join(state["class"]) if state else ""))
    return rows


def test_the_module_page_lists_its_quiz_after_its_lessons(client):
    _course, module, _lesson = make_course_tree(title="Safety")
    add_quiz(module)

    html = client.get(module.url).content.decode()

    assert [title for title, _state in outline_rows(html, "main")] == [
        "Safety lesson",
        "Check your understanding",
    ]
    assert "This module has no lessons yet." not in html


def test_a_volunteer_sees_the_same_states_on_the_module_page_as_in_the_course_outline(client):
    course, module, lesson = make_course_tree(title="Safety")
    quiz = add_quiz(module)
    reader = enrolled_reader(client, course)
    lesson_complete(volunteer=reader, lesson=lesson)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(WRONG_POST, attempt.token)}
    )

    module_rows = outline_rows(client.get(module.url).content.decode(), "main")
    course_rows = outline_rows(client.get(course.url).content.decode(), ".outline")

    assert module_rows == course_rows
    assert [state for _title, state in module_rows] == ["state state--done", "state state--failed"]
