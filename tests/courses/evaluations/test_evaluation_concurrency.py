"""Two tabs or a double click at the same moment (separate connections): one evaluation is kept, one
certificate issued; every other submission is refused and keeps no answer.

On SQLite these use the file test database; on PostgreSQL the same test meets real row contention.
"""

import pytest

from certificates.models import Certificate
from courses.evaluations import services
from courses.evaluations.models import EvaluationAnswer, EvaluationDone
from courses.learning.models import CourseCompletion
from tests.courses.evaluations.helpers import GOOD_ANSWERS, evaluated_course, finished_volunteer
from tests.courses.learning.test_learning_concurrency import at_once


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_keep_one_answer_and_issue_one_certificate():
    course, lesson = evaluated_course("Race evaluation")
    volunteer = finished_volunteer(course, lesson)

    def submit():
        try:
            services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
        except services.AlreadyEvaluated:
            return "refused"
        return "kept"

    results = at_once(submit)

    assert results.count("kept") == 1 and results.count("refused") == len(results) - 1
    assert EvaluationAnswer.objects.filter(course=course).count() == 1
    assert EvaluationDone.objects.filter(volunteer=volunteer, course=course).count() == 1
    assert CourseCompletion.objects.filter(volunteer=volunteer, course=course).count() == 1
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1
