"""Answers cannot be tied to the volunteers who gave them: by their fields, by their ids or the order
of ids, by what an export of a person holds, and erasure keeps them while removing the done mark."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from courses.evaluations import services
from courses.evaluations.models import EvaluationAnswer, EvaluationDone
from courses.evaluations.privacy import export_evaluations
from tests.courses.evaluations.helpers import GOOD_ANSWERS, evaluated_course, finished_volunteer
from volunteers.privacy import privacy_providers


def test_the_answer_model_has_no_link_to_a_person_or_enrolment_and_no_moment_finer_than_a_month():
    fields = EvaluationAnswer._meta.get_fields()
    relations = {field.related_model._meta.label for field in fields if field.is_relation}
    assert relations == {"courses.CoursePage", "courses.EvaluationForm"}
    assert not any(isinstance(field, (models.DateTimeField, models.TimeField)) for field in fields)
    assert [field.name for field in fields if isinstance(field, models.DateField)] == ["month"]
    assert isinstance(EvaluationAnswer._meta.pk, models.UUIDField)
    names = {field.name for field in fields}
    assert not names & {"volunteer", "user", "enrollment", "created_at", "submitted_at", "updated_at"}


def test_the_done_mark_has_no_link_to_the_answer_and_no_moment():
    fields = EvaluationDone._meta.get_fields()
    assert {field.related_model._meta.label for field in fields if field.is_relation} == {
        get_user_model()._meta.label,
        "courses.CoursePage",
    }
    assert not any(isinstance(field, (models.DateField, models.DateTimeField)) for field in fields)


def test_a_month_that_is_not_its_first_day_is_refused_by_the_database(db):
    import datetime

    from django.db import IntegrityError

    from tests.courses.evaluations.helpers import default_form

    course, _lesson = evaluated_course()
    with pytest.raises(IntegrityError):
        EvaluationAnswer.objects.create(
            course=course, form=default_form(), form_version=1, month=datetime.date(2026, 3, 14)
        )


@pytest.mark.django_db
def test_answers_cannot_be_joined_to_done_marks_by_the_order_of_their_ids():
    """Ten volunteers evaluate one after the other. Whatever order the answers' keys are read in,
    it does not follow the order the done marks were made in: the keys are random UUIDs."""
    course, lesson = evaluated_course()
    volunteers = [finished_volunteer(course, lesson, email=f"order{n}@example.org") for n in range(10)]
    for number, volunteer in enumerate(volunteers):
        services.evaluation_submit(
            volunteer=volunteer, course=course, answers={**GOOD_ANSWERS, "marker": number}
        )
    marks_in_order = list(EvaluationDone.objects.order_by("pk").values_list("volunteer_id", flat=True))
    assert marks_in_order == [volunteer.pk for volunteer in volunteers]
    answers = list(EvaluationAnswer.objects.order_by("pk"))
    assert all(isinstance(answer.pk, uuid.UUID) and answer.pk.version == 4 for answer in answers)
    # Sorted by key, the answers come in an order unrelated to the submissions (random keys).
    by_key = [answer.answers["marker"] for answer in answers]
    assert sorted(by_key) == list(range(10))
    assert by_key != list(range(10))  # fails once in 10! runs, for a random order
    # The database's default read order and the keys themselves carry no sequence number either.
    assert all(answer.pk.int != number for number, answer in enumerate(answers))
    assert {answer.month for answer in answers} == {answers[0].month}
    assert all(answer.month.day == 1 for answer in answers)


@pytest.mark.django_db
def test_a_persons_export_says_they_evaluated_but_holds_no_answers():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    exported = export_evaluations(volunteer)
    assert exported["evaluated_courses"] == [course.title]
    assert "Norway" not in str(exported) and "5" not in str(exported["evaluated_courses"])
    assert "about_the_answers" in exported


@pytest.mark.django_db
def test_erasure_removes_the_done_mark_and_keeps_the_anonymous_answers():
    course, lesson = evaluated_course()
    volunteer = finished_volunteer(course, lesson)
    services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    provider = next(provider for provider in privacy_providers() if provider.label == "evaluations")
    provider.erase(volunteer, [volunteer.email])
    assert not EvaluationDone.objects.filter(volunteer=volunteer).exists()
    assert EvaluationAnswer.objects.count() == 1
