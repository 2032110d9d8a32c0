"""Country coordinators and evaluation results (issue 22): a coordinator for Norway reads only
Norway's answers, over everyone's blocks of at least five, never blocks cut again for them. So
every figure they see is one staff see with the Norway filter, and no combination of their figures
with anyone's isolates fewer than five answers; a block pooled from Norway and Sweden shows to
them nowhere."""

import datetime

import pytest
from django.utils import timezone

from courses.evaluations.aggregates import course_results
from courses.evaluations.suppression import Filter
from tests.courses.evaluations.helpers import evaluated_course
from tests.courses.evaluations.test_results_admin import LAST_YEAR, seed_answers
from tests.factories import make_coordinator

pytestmark = pytest.mark.django_db

NORWAY = frozenset({"NO"})
PERIODS = [None, (LAST_YEAR, 0), *((LAST_YEAR, number) for number in (1, 2, 3, 4))]


@pytest.fixture
def course():
    """Q1: six from Norway and six from Sweden (a block each). Q2: three and three, pooled into one
    block of six. Q3: two from Norway, waiting in the pool. Cut again for Norway alone, Q2 and Q3
    would make a block of five: exactly what must never be shown."""
    course, _lesson = evaluated_course("Course A")
    month = lambda number: datetime.date(LAST_YEAR, number, 1)  # noqa: E731
    seed_answers(
        course,
        [
            (month(1), "NO", 6, "Norway text"),
            (month(1), "SE", 6, "Sweden text"),
            (month(4), "NO", 3, "Norway pooled"),
            (month(4), "SE", 3, "Sweden pooled"),
            (month(7), "NO", 2, "Norway waiting"),
        ],
    )
    return course


def results(course, wanted: Filter, countries=None):
    today = timezone.now().date()
    return course_results(course=course, wanted=wanted, language="en", today=today, countries=countries)


def texts(result) -> set[str]:
    return {text.rsplit(" ", 1)[0] for question in result.questions for text in question.texts}


def test_a_coordinator_reads_only_their_countrys_whole_blocks(course):
    mine = results(course, Filter(), NORWAY)
    assert mine.count == 6 and mine.held_back
    assert texts(mine) == {"Norway text"}
    assert mine.countries == ["NO"]
    assert [code for code, _counts in mine.table] == [None, "NO"]


def test_every_figure_a_coordinator_sees_is_one_staff_see_for_their_country(course):
    for period in PERIODS:
        for country in (None, "NO"):
            mine = results(course, Filter(country, period), NORWAY)
            staffs = results(course, Filter("NO", period))
            assert mine.count == staffs.count, (country, period)
            assert texts(mine) == texts(staffs)
    assert results(course, Filter(), NORWAY).table[0][1] == results(course, Filter()).table[1][1]


def test_a_coordinator_asking_for_another_country_sees_nothing(course):
    assert results(course, Filter("SE", None), NORWAY).count is None
    assert results(course, Filter(), frozenset()).count is None
    assert results(course, Filter(), frozenset()).table == [(None, [None])]


def test_the_results_page_and_its_export_show_a_coordinator_only_their_countrys_answers(client, course):
    client.force_login(make_coordinator(countries=("NO",)))
    page = client.get(f"/admin/evaluations/{course.pk}/").content.decode()
    assert "Norway text" in page and "Sweden" not in page and "pooled" not in page
    exported = client.get(f"/admin/evaluations/{course.pk}/", {"export": "csv"}).content.decode()
    assert "Norway text" in exported and "Sweden" not in exported and "pooled" not in exported
    assert client.get(f"/admin/evaluations/{course.pk}/", {"country": "SE"}).status_code == 400


def test_a_coordinators_total_is_labelled_as_their_countries_not_all(client, course):
    from django.utils.translation import gettext

    from tests.factories import make_user

    client.force_login(make_coordinator(countries=("NO",)))
    page = client.get(f"/admin/evaluations/{course.pk}/").content.decode()
    assert f">{gettext('All your countries')}<" in page and f">{gettext('All countries')}<" not in page
    client.force_login(make_user(group="Staff"))
    assert f">{gettext('All countries')}<" in client.get(f"/admin/evaluations/{course.pk}/").content.decode()
