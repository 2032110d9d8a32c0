"""Requests at the same moment never record a lesson or a completion twice (separate connections).

On SQLite these use the file test database; on PostgreSQL the same tests meet real row contention.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from courses.learning import completion
from courses.learning.services import course_completion_record, course_enrol, lesson_complete
from courses.models import CourseCompletion, LessonProgress
from tests.factories import make_course_tree, make_volunteer

THREADS = 6


def at_once(function, count: int = THREADS) -> list:
    barrier = Barrier(count)

    def run(_index):
        try:
            barrier.wait(timeout=10)
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.django_db(transaction=True)
def test_concurrent_mark_as_done_records_the_lesson_and_the_completion_once(monkeypatch):
    calls = []
    monkeypatch.setitem(completion._listeners, "test", lambda **kwargs: calls.append(kwargs))
    course, _module, lesson = make_course_tree(title="Race")
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)

    results = at_once(lambda: lesson_complete(volunteer=user, lesson=lesson))

    assert results.count(True) == 1
    assert LessonProgress.objects.filter(volunteer=user, lesson=lesson).count() == 1
    assert CourseCompletion.objects.filter(volunteer=user, course=course).count() == 1
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_completion_records_are_made_once_and_notify_once(monkeypatch):
    calls = []
    monkeypatch.setitem(completion._listeners, "test", lambda **kwargs: calls.append(kwargs))
    course, _module, _lesson = make_course_tree(title="Race")
    user = make_volunteer().user

    results = at_once(lambda: course_completion_record(volunteer=user, course=course))

    assert sum(1 for result in results if result is not None) == 1
    assert CourseCompletion.objects.filter(volunteer=user, course=course).count() == 1
    assert len(calls) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_make_one_enrolment():
    course, _module, _lesson = make_course_tree(title="Race")
    user = make_volunteer().user

    results = at_once(lambda: course_enrol(volunteer=user, course=course)[1])

    assert results.count(True) == 1
    assert user.course_enrollments.count() == 1
