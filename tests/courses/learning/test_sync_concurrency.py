"""A phone that resends its queue while the first send is still running (separate connections): each
action is claimed by one request, done once, and the others answer "duplicate"."""

import pytest
from django.test import RequestFactory

from courses.learning.services import course_enrol
from courses.learning.sync import sync_actions
from courses.models import LessonProgress, SyncedAction
from tests.courses.learning.sync_helpers import lesson_done
from tests.courses.learning.test_learning_concurrency import at_once
from tests.factories import make_course_tree, make_volunteer


@pytest.mark.django_db(transaction=True)
def test_the_same_queue_sent_at_once_is_done_once_and_answered_duplicate_elsewhere():
    course, _module, lesson = make_course_tree(title="Race")
    user = make_volunteer().user
    course_enrol(volunteer=user, course=course)
    action = lesson_done(lesson.pk)

    def send():
        request = RequestFactory().post("/learn/sync/")
        request.user, request.session = user, {}
        return [result.status for result in sync_actions(request=request, actions=[action])]

    results = at_once(send)

    assert sorted(status for statuses in results for status in statuses) == ["done"] + ["duplicate"] * (
        len(results) - 1
    )
    assert SyncedAction.objects.filter(volunteer=user).count() == 1
    assert LessonProgress.objects.filter(volunteer=user, lesson=lesson).count() == 1
