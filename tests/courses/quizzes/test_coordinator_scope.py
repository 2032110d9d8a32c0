"""Country coordinators and quiz statistics (issue 22): the figures, the answers given and the list
of attempts count only their countries' volunteers, on the page and in the spreadsheet."""

import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from courses.learning.services import course_enrol
from courses.quizzes.selectors import quiz_statistics
from courses.quizzes.services import quiz_attempt_submit
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.courses.quizzes.test_quizzes import RIGHT, begin
from tests.factories import make_coordinator, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    """A quiz passed by Ingrid in Norway and failed by Sven in Sweden."""
    course, module, _lesson = make_course_tree()
    quiz = add_quiz(module)
    for name, country, answers in (("Ingrid", "NO", RIGHT), ("Sven", "SE", {"q-single": "c-wrong"})):
        user = make_volunteer(country=country).user
        user.first_name, user.last_name = name, "Test"
        user.save()
        course_enrol(volunteer=user, course=course)
        quiz_attempt_submit(attempt=begin(user, quiz), answers=answers)
    return quiz


def test_a_norway_coordinators_statistics_count_only_norwegians_attempts(quiz):
    mine = quiz_statistics(quiz=quiz, viewer=make_coordinator(countries=("NO",)))
    assert (mine.attempts, mine.pass_rate, mine.average) == (1, 100, 100)
    assert [row["name"] for row in mine.people] == ["Ingrid Test"]
    assert mine.questions[0].distribution == {"The person": 1}
    everyone = quiz_statistics(quiz=quiz, viewer=make_user(group="Staff"))
    assert (everyone.attempts, everyone.pass_rate) == (2, 50)


def test_a_coordinator_with_no_countries_sees_no_attempt(quiz):
    nobody = quiz_statistics(quiz=quiz, viewer=make_coordinator(countries=()))
    assert (nobody.attempts, nobody.people, nobody.questions) == (0, [], [])


def test_the_statistics_page_and_spreadsheet_show_a_coordinator_only_norwegians(client, quiz):
    # The statistics are a trainers' page (page editors'); staff, and so coordinators, do not open
    # it, unless the same person also trains: then their countries still limit what they see.
    coordinator = make_coordinator(countries=("NO",))
    coordinator.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(coordinator)
    page = client.get(f"/admin/courses/quiz/{quiz.pk}/statistics/")
    assert page.status_code == 200
    assert "Ingrid Test" in page.content.decode() and "Sven" not in page.content.decode()
    book = load_workbook(io.BytesIO(client.get(f"/admin/courses/quiz/{quiz.pk}/statistics.xlsx").content))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Ingrid Test" in cells and "Sven Test" not in cells
    assert book.worksheets[0]["B2"].value == 1
