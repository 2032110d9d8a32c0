"""Query discipline: the course page, the module page, the lesson page and the dashboard cost the
same number of queries for 5 or 50 lessons and for 1 or 20 enrolments, and no more than 15."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.learning.services import course_enrol, lesson_complete
from courses.models import CoursePage, LessonPage, ModulePage
from tests.factories import catalog_page, make_volunteer

pytestmark = pytest.mark.django_db

BUDGET = 15


def build_course(slug: str, lessons: int) -> tuple[CoursePage, list[LessonPage]]:
    """A live course with its lessons spread over modules of at most ten lessons."""
    course = CoursePage(title=f"Course {slug}", slug=slug, summary="Summary")
    catalog_page().add_child(instance=course)
    made = []
    for module_number in range((lessons + 9) // 10):
        module = ModulePage(title=f"Module {module_number}", slug=f"module-{module_number}", summary="Module")
        course.add_child(instance=module)
        for number in range(module_number * 10, min(lessons, module_number * 10 + 10)):
            lesson = LessonPage(
                title=f"Lesson {number}",
                slug=f"lesson-{number}",
                body=[{"type": "text", "value": "<p>Text</p>"}],
                is_required=number % 4 != 3,
            )
            module.add_child(instance=lesson)
            made.append(lesson)
    return course, made


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the route and site caches, as any second visitor finds them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def reader(client):
    profile = make_volunteer()
    client.force_login(profile.user)
    return profile.user


def test_the_course_and_lesson_pages_cost_the_same_for_5_and_50_lessons(
    client, reader, django_assert_num_queries
):
    small, small_lessons = build_course("small", 5)
    large, large_lessons = build_course("large", 50)
    for course, lessons in ((small, small_lessons), (large, large_lessons)):
        course_enrol(volunteer=reader, course=course)
        for lesson in lessons[:3]:
            lesson_complete(volunteer=reader, lesson=lesson)

    course_queries = queries_for(client, small.url)
    lesson_queries = queries_for(client, small_lessons[3].url)
    small_module, large_module = (lessons[0].get_parent() for lessons in (small_lessons, large_lessons))
    module_queries = queries_for(client, small_module.url)
    assert course_queries <= BUDGET
    assert lesson_queries <= BUDGET
    assert module_queries <= BUDGET

    client.get(large.url)
    with django_assert_num_queries(course_queries):
        client.get(large.url)
    client.get(large_lessons[40].url)
    with django_assert_num_queries(lesson_queries):
        client.get(large_lessons[40].url)
    client.get(large_module.url)
    with django_assert_num_queries(module_queries):
        client.get(large_module.url)


def test_the_dashboard_costs_the_same_for_1_and_20_enrolments(client, reader, django_assert_num_queries):
    courses = [build_course(f"course-{number}", 5) for number in range(20)]
    course_enrol(volunteer=reader, course=courses[0][0])
    lesson_complete(volunteer=reader, lesson=courses[0][1][0])
    one = queries_for(client, "/learn/")
    assert one <= BUDGET

    for course, lessons in courses[1:]:
        course_enrol(volunteer=reader, course=course)
        lesson_complete(volunteer=reader, lesson=lessons[0])
    for _course, lessons in courses[10:]:
        for lesson in lessons:
            lesson_complete(volunteer=reader, lesson=lesson)
    client.get("/learn/")
    with django_assert_num_queries(one):
        response = client.get("/learn/")
    assert response.content.decode().count("dashboard-course--completed") == 10


def test_an_anonymous_visitor_reads_a_deep_lesson_within_the_budget(client):
    _course, lessons = build_course("open", 5)
    assert queries_for(client, lessons[4].url) <= BUDGET
