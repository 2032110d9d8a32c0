"""Course runs, read through the services: self-enrolment within the window and the run's country
and organisation, seat limits with a waiting list that moves up in order, staff moves (progress
kept, or cleared when the run starts afresh) and extensions, quiz attempts counted per run, the
completion's run, the deadline, and a course without runs working as before."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.learning import services
from courses.learning.models import CourseCompletion, Enrollment, LessonProgress, RunWaitlistEntry
from courses.learning.records import erase_learning, export_learning
from courses.learning.runs import AlreadyCompleted, ExtensionInThePast, enrolment_extend, enrolment_move
from courses.learning.services import course_enrol, course_run_enrol, lesson_complete
from courses.models import LessonPage
from courses.quizzes.models import QuizAttempt, QuizResult
from courses.quizzes.services import NoAttemptsLeft, quiz_attempt_start, quiz_attempt_submit
from notifications.models import Notification
from tests.courses.learning.run_helpers import DAY, make_run
from tests.courses.quizzes.quiz_helpers import add_quiz
from tests.factories import make_course_tree, make_organization, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course, _module, _lesson = make_course_tree(title="Referral")
    return course


def volunteer(**profile):
    return make_volunteer(**profile).user


def staff():
    return make_user(group="Staff")


# --- Enrolling in a run -------------------------------------------------------------------------


def test_a_course_without_runs_enrols_as_before_with_no_run_and_no_deadline(course):
    enrolment, created = course_enrol(volunteer=volunteer(), course=course)
    assert created and enrolment.run is None and enrolment.deadline is None


def test_the_one_open_run_is_chosen_and_the_enrolment_names_it(course):
    make_run(course, name="closed", opens_in=-20, closes_in=-10)
    open_run = make_run(course, name="open")
    make_run(course, name="later", opens_in=5, closes_in=20)
    enrolment, created = course_enrol(volunteer=volunteer(), course=course)
    assert created and enrolment.run == open_run and enrolment.deadline == open_run.ends


def test_self_enrolment_outside_the_window_is_refused(course):
    closed = make_run(course, opens_in=-20, closes_in=-10)
    later = make_run(course, opens_in=5, closes_in=20)
    person = volunteer()
    with pytest.raises(services.NoRunOpen):
        course_enrol(volunteer=person, course=course)
    for run in (closed, later):
        with pytest.raises(services.RunNotOpen):
            course_enrol(volunteer=person, course=course, run=run)
    assert not Enrollment.objects.filter(volunteer=person).exists()


def test_with_several_open_runs_the_volunteer_chooses(course):
    make_run(course, name="a")
    second = make_run(course, name="b")
    person = volunteer()
    with pytest.raises(services.RunChoiceNeeded):
        course_enrol(volunteer=person, course=course)
    enrolment, _created = course_enrol(volunteer=person, course=course, run=second)
    assert enrolment.run == second


def test_a_run_for_a_country_or_organisation_admits_only_its_volunteers(course):
    organisation = make_organization()
    norway = make_run(course, name="norway", country="NO")
    members = make_run(course, name="members", organization=organisation)
    in_sweden = volunteer(country="SE")
    with pytest.raises(services.RunRestricted):
        course_enrol(volunteer=in_sweden, course=course, run=norway)
    with pytest.raises(services.RunRestricted):
        course_enrol(volunteer=in_sweden, course=course, run=members)
    # Only runs meant for them are offered: none here.
    with pytest.raises(services.NoRunOpen):
        course_enrol(volunteer=in_sweden, course=course)
    assert course_enrol(volunteer=volunteer(country="NO"), course=course, run=norway)[0].run == norway
    member = volunteer(country="SE", organization=organisation)
    assert course_enrol(volunteer=member, course=course, run=members)[0].run == members


def test_a_run_of_another_course_is_refused(course):
    other, _module, _lesson = make_course_tree(title="Other")
    with pytest.raises(services.RunNotOfCourse):
        course_enrol(volunteer=volunteer(), course=course, run=make_run(other))


def test_staff_enrol_into_a_run_outside_its_window_but_must_choose_one(course):
    later = make_run(course, opens_in=5, closes_in=20)
    person, actor = volunteer(), staff()
    with pytest.raises(services.RunChoiceNeeded):
        course_enrol(volunteer=person, course=course, actor=actor, source=Enrollment.Source.STAFF)
    enrolment, _created = course_enrol(
        volunteer=person, course=course, actor=actor, source=Enrollment.Source.STAFF, run=later
    )
    assert enrolment.run == later
    entry = ModelLogEntry.objects.get(action="courses.enrol")
    assert entry.data["run_id"] == later.pk


def test_one_enrolment_per_volunteer_and_course_is_a_database_constraint(course):
    first, second = make_run(course, name="a"), make_run(course, name="b")
    person = volunteer()
    course_enrol(volunteer=person, course=course, run=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(volunteer=person, course=course, run=second)
    # Enrolling again, in another run, changes nothing.
    enrolment, created = course_enrol(volunteer=person, course=course, run=second)
    assert not created and enrolment.run == first


# --- Seats and the waiting list -----------------------------------------------------------------


def test_a_full_run_puts_the_next_volunteers_on_its_waiting_list_in_order(course):
    run = make_run(course, seats=2)
    people = [volunteer() for _ in range(4)]
    places = [course_run_enrol(volunteer=person, course=course) for person in people]
    assert [place.enrolment is not None for place in places] == [True, True, False, False]
    assert [place.position for place in places[2:]] == [1, 2]
    assert Enrollment.objects.filter(run=run).count() == 2
    assert list(RunWaitlistEntry.objects.filter(run=run).values_list("volunteer", flat=True)) == [
        people[2].pk,
        people[3].pk,
    ]
    # Asking again keeps their place.
    assert course_run_enrol(volunteer=people[3], course=course).position == 2
    with pytest.raises(services.RunFull):
        course_enrol(volunteer=people[3], course=course)


def test_a_seat_freed_by_a_move_goes_to_the_longest_waiting_and_tells_them(
    course, django_capture_on_commit_callbacks
):
    full = make_run(course, name="full", seats=1)
    later = make_run(course, name="later", opens_in=5, closes_in=20)
    first, second, third = volunteer(), volunteer(), volunteer()
    for person in (first, second, third):
        course_run_enrol(volunteer=person, course=course, run=full)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_move(enrolment=Enrollment.objects.get(volunteer=first), run=later, actor=staff())
    assert Enrollment.objects.get(volunteer=second).run == full
    assert not Enrollment.objects.filter(volunteer=third).exists()
    assert list(RunWaitlistEntry.objects.values_list("volunteer", flat=True)) == [third.pk]
    assert Notification.objects.filter(user=second, kind="run_seat_offered").count() == 1
    assert Notification.objects.filter(user=first, kind="run_moved").count() == 1


def test_erasing_an_enrolled_volunteer_hands_their_seat_on(course):
    run = make_run(course, seats=1)
    leaving, waiting = volunteer(), volunteer()
    course_run_enrol(volunteer=leaving, course=course)
    course_run_enrol(volunteer=waiting, course=course)
    erase_learning(leaving, [])
    assert Enrollment.objects.get(volunteer=waiting).run == run
    assert not RunWaitlistEntry.objects.exists()


def test_a_place_in_one_run_ends_the_wait_for_the_others(course):
    full = make_run(course, name="full", seats=1)
    course_run_enrol(volunteer=volunteer(), course=course, run=full)
    person = volunteer()
    assert course_run_enrol(volunteer=person, course=course, run=full).waiting is not None
    other = make_run(course, name="other")
    course_run_enrol(volunteer=person, course=course, run=other)
    assert not RunWaitlistEntry.objects.filter(volunteer=person).exists()


def test_the_waiting_list_is_exported_with_the_run(course):
    full = make_run(course, name="รุ่นที่ 1 / 2570", seats=1)
    course_run_enrol(volunteer=volunteer(), course=course, run=full)
    person = volunteer()
    course_run_enrol(volunteer=person, course=course, run=full)
    exported = export_learning(person)
    assert exported["waiting_lists"][0]["run"] == "รุ่นที่ 1 / 2570"


# --- Moves, extensions and progress -------------------------------------------------------------


def two_lessons():
    course, module, lesson = make_course_tree(title="Two lessons")
    second = LessonPage(title="Second", slug="second", body=[{"type": "text", "value": "<p>x</p>"}])
    module.add_child(instance=second)
    second.save_revision().publish()
    return course, module, lesson


def test_lessons_done_stay_done_when_moved_to_a_later_run():
    course, _module, lesson = two_lessons()
    first, later = make_run(course, name="first"), make_run(course, name="later", opens_in=5, closes_in=20)
    person = volunteer()
    course_enrol(volunteer=person, course=course, run=first)
    lesson_complete(volunteer=person, lesson=lesson)
    moved = enrolment_move(enrolment=Enrollment.objects.get(volunteer=person), run=later, actor=staff())
    assert moved.run == later
    assert Enrollment.objects.filter(volunteer=person).count() == 1
    assert LessonProgress.objects.filter(volunteer=person, lesson=lesson).exists()
    entry = ModelLogEntry.objects.get(action="courses.run_move")
    assert entry.data["from_run_id"] == first.pk and entry.data["run_id"] == later.pk


def test_a_run_that_starts_afresh_clears_lessons_and_quiz_results_on_the_move():
    course, module, lesson = two_lessons()
    quiz = add_quiz(module)
    first = make_run(course, name="first")
    afresh = make_run(course, name="afresh", opens_in=5, closes_in=20, fresh_start=True)
    person, bystander = volunteer(), volunteer()
    for someone in (person, bystander):
        course_enrol(volunteer=someone, course=course, run=first)
        lesson_complete(volunteer=someone, lesson=lesson)
        quiz_attempt_submit(
            attempt=quiz_attempt_start(volunteer=someone, quiz=quiz, token=uuid.uuid4()), answers={}
        )
    enrolment_move(enrolment=Enrollment.objects.get(volunteer=person), run=afresh, actor=staff())
    assert not LessonProgress.objects.filter(volunteer=person).exists()
    assert not QuizResult.objects.filter(volunteer=person).exists()
    assert LessonProgress.objects.filter(volunteer=bystander).exists()
    assert ModelLogEntry.objects.get(action="courses.run_move").data["progress_cleared"] == 2


def test_a_move_into_a_full_run_or_of_a_completed_enrolment_is_refused():
    course, _module, _lesson = two_lessons()
    first, full = make_run(course, name="first"), make_run(course, name="full", seats=1)
    course_enrol(volunteer=volunteer(), course=course, run=full)
    person = volunteer()
    course_enrol(volunteer=person, course=course, run=first)
    with pytest.raises(services.RunFull):
        enrolment_move(enrolment=Enrollment.objects.get(volunteer=person), run=full, actor=staff())
    CourseCompletion.objects.create(volunteer=person, course=course, run=first)
    with pytest.raises(AlreadyCompleted):
        enrolment_move(
            enrolment=Enrollment.objects.get(volunteer=person), run=make_run(course, name="x"), actor=staff()
        )


def test_past_the_deadline_progress_is_refused_until_staff_extend_it():
    course, _module, lesson = make_course_tree(title="Deadline")
    run = make_run(course)
    person = volunteer()
    course_enrol(volunteer=person, course=course, run=run)
    run.ends = timezone.now() - DAY
    run.starts = run.ends - 30 * DAY
    run.save()
    with pytest.raises(services.DeadlinePassed):
        lesson_complete(volunteer=person, lesson=lesson)
    until = timezone.now() + 7 * DAY
    enrolment = enrolment_extend(
        enrolment=Enrollment.objects.get(volunteer=person), until=until, actor=staff()
    )
    assert enrolment.deadline == until
    assert lesson_complete(volunteer=person, lesson=lesson)
    entry = ModelLogEntry.objects.get(action="courses.deadline_extend")
    assert entry.data["deadline"] == until.isoformat()


def test_an_extension_must_be_in_the_future(course):
    make_run(course)
    person = volunteer()
    enrolment, _created = course_enrol(volunteer=person, course=course)
    with pytest.raises(ExtensionInThePast):
        enrolment_extend(
            enrolment=enrolment, until=timezone.now() - datetime.timedelta(minutes=1), actor=staff()
        )


# --- Quiz attempts and completions --------------------------------------------------------------


def test_quiz_attempts_are_counted_per_run():
    course, module, _lesson = make_course_tree(title="Quiz runs")
    quiz = add_quiz(module, max_attempts=1)
    first, later = make_run(course, name="first"), make_run(course, name="later", opens_in=5, closes_in=20)
    person = volunteer()
    course_enrol(volunteer=person, course=course, run=first)
    quiz_attempt_submit(
        attempt=quiz_attempt_start(volunteer=person, quiz=quiz, token=uuid.uuid4()), answers={}
    )
    with pytest.raises(NoAttemptsLeft):
        quiz_attempt_start(volunteer=person, quiz=quiz, token=uuid.uuid4())
    enrolment_move(enrolment=Enrollment.objects.get(volunteer=person), run=later, actor=staff())
    attempt = quiz_attempt_start(volunteer=person, quiz=quiz, token=uuid.uuid4())
    assert attempt.run == later and attempt.number == 2
    assert list(
        QuizAttempt.objects.filter(volunteer=person).values_list("run", flat=True).order_by("number")
    ) == [
        first.pk,
        later.pk,
    ]


def test_without_runs_the_attempt_limit_counts_every_attempt():
    course, module, _lesson = make_course_tree(title="No runs")
    quiz = add_quiz(module, max_attempts=1)
    person = volunteer()
    course_enrol(volunteer=person, course=course)
    attempt = quiz_attempt_start(volunteer=person, quiz=quiz, token=uuid.uuid4())
    assert attempt.run is None
    quiz_attempt_submit(attempt=attempt, answers={})
    with pytest.raises(NoAttemptsLeft):
        quiz_attempt_start(volunteer=person, quiz=quiz, token=uuid.uuid4())


def test_a_completion_records_its_run():
    course, _module, lesson = make_course_tree(title="Completion")
    run = make_run(course)
    person = volunteer()
    course_enrol(volunteer=person, course=course)
    lesson_complete(volunteer=person, lesson=lesson)
    assert CourseCompletion.objects.get(volunteer=person, course=course).run == run


def test_the_run_dates_and_seats_are_database_constraints(course):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_run(course, name="no seats", seats=0)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_run(course, name="backwards", enrolment_opens=now, enrolment_closes=now - DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_run(course, name="ends first", starts=now, ends=now - DAY)
