"""Attendance at live sessions: the meeting tools' reports are read by their email column, only the
run's volunteers are marked, and a course asking for attendance completes (and certifies) only once
enough sessions are attended, together with the evaluation it may also ask for."""

import pytest
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from courses.evaluations import services as evaluation_services
from courses.evaluations.selectors import evaluation_due
from courses.learning.models import CourseCompletion
from courses.learning.services import course_enrol, lesson_complete
from courses.live.attendance import (
    AttendanceFileError,
    attendance_file_addresses,
    attendance_list_save,
    attendance_upload,
)
from courses.live.models import LiveSession, SessionAttendance
from courses.live.selectors import attendance_progress
from tests.courses.evaluations.helpers import GOOD_ANSWERS
from tests.courses.live.helpers import enrolled_volunteer, meet_csv, session_course, teams_tsv, zoom_csv
from tests.factories import make_user, make_volunteer

pytestmark = pytest.mark.django_db


def test_the_email_column_is_found_in_zoom_teams_and_meet_reports():
    assert attendance_file_addresses(zoom_csv("a@example.org", "B@Example.org")) == [
        ["a@example.org"],
        ["B@Example.org"],
    ]
    assert attendance_file_addresses(teams_tsv("c@example.org")) == [["c@example.org", "c@example.org"]]
    assert attendance_file_addresses(meet_csv("d@example.org")) == [["d@example.org"]]


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x02\x00\x00\x01",
        "Name,Joined\nสมชาย,19:00\n".encode(),
        b"",
        b"Email\n\n",
        b"x" * 1_000_001,
    ],
)
def test_a_bad_file_is_refused_with_a_message(raw):
    with pytest.raises(AttendanceFileError) as error:
        attendance_file_addresses(raw)
    assert str(error.value)


def test_an_upload_marks_only_volunteers_of_the_run_case_insensitively_and_again_changes_nothing():
    course, _lesson, run, session = session_course()
    inside = enrolled_volunteer(course, run, email="inside@example.org")
    outside = make_volunteer(email="outside@example.org").user  # not enrolled in the run
    trainer = make_user(group="Trainers")
    raw = zoom_csv("INSIDE@example.org", "inside@example.org", "outside@example.org", "guest@example.net")
    outcome = attendance_upload(session=session, raw=raw, actor=trainer)
    assert (outcome.marked, outcome.already) == (1, 0)
    assert outcome.unmatched == ["outside@example.org", "guest@example.net"]
    attendance = SessionAttendance.objects.get()
    assert (
        attendance.volunteer == inside and attendance.source == "upload" and attendance.recorded_by == trainer
    )
    assert not SessionAttendance.objects.filter(volunteer=outside).exists()
    again = attendance_upload(session=session, raw=raw, actor=trainer)
    assert (again.marked, again.already) == (0, 1)
    assert SessionAttendance.objects.count() == 1
    assert ModelLogEntry.objects.filter(action="courses.attendance_mark").count() == 1


def test_teams_utf16_and_meet_reports_mark_attendance():
    course, _lesson, run, session = session_course()
    first = enrolled_volunteer(course, run, email="first@example.org")
    second = enrolled_volunteer(course, run, email="second@example.org")
    trainer = make_user(group="Trainers")
    assert attendance_upload(session=session, raw=teams_tsv("First@example.org"), actor=trainer).marked == 1
    assert attendance_upload(session=session, raw=meet_csv("second@example.org"), actor=trainer).marked == 1
    assert set(SessionAttendance.objects.values_list("volunteer", flat=True)) == {first.pk, second.pk}


def test_a_bad_upload_records_nothing():
    course, _lesson, run, session = session_course()
    enrolled_volunteer(course, run, email="inside@example.org")
    with pytest.raises(AttendanceFileError):
        attendance_upload(session=session, raw=b"Name\ninside@example.org\n", actor=make_user())
    assert not SessionAttendance.objects.exists()


def test_the_list_marks_the_ticked_unmarks_the_unticked_and_ignores_people_outside_the_run():
    course, _lesson, run, session = session_course()
    kept = enrolled_volunteer(course, run)
    dropped = enrolled_volunteer(course, run)
    outsider = make_volunteer().user
    trainer = make_user(group="Trainers")
    assert attendance_list_save(
        session=session, attended_ids={kept.pk, dropped.pk, outsider.pk}, actor=trainer
    ) == (2, 0)
    assert attendance_list_save(session=session, attended_ids={kept.pk}, actor=trainer) == (0, 1)
    assert list(SessionAttendance.objects.values_list("volunteer", flat=True)) == [kept.pk]
    assert ModelLogEntry.objects.filter(action="courses.attendance_unmark").count() == 1


def test_saving_a_session_again_raises_its_calendar_sequence():
    _course, _lesson, _run, session = session_course()
    assert session.sequence == 0
    created = session.updated_at
    session.title = "Moved"
    session.save()
    session.save()
    assert session.sequence == 2
    stored = LiveSession.objects.get()
    assert stored.sequence == 2 and stored.updated_at > created


def test_a_course_asking_for_a_session_completes_only_once_attended():
    course, lesson, run, session = session_course(required=1)
    volunteer = enrolled_volunteer(course, run)
    lesson_complete(volunteer=volunteer, lesson=lesson)
    assert not CourseCompletion.objects.filter(volunteer=volunteer).exists()
    assert attendance_progress(volunteer, course) == (0, 1)
    attendance_list_save(session=session, attended_ids={volunteer.pk}, actor=make_user(group="Trainers"))
    assert CourseCompletion.objects.filter(volunteer=volunteer, course=course).exists()
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1
    assert attendance_progress(volunteer, course) == (1, 1)


def test_attendance_before_the_lessons_completes_at_the_last_lesson():
    course, lesson, run, session = session_course(required=1)
    volunteer = enrolled_volunteer(course, run)
    attendance_upload(session=session, raw=meet_csv(volunteer.email), actor=make_user(group="Trainers"))
    assert not CourseCompletion.objects.exists()
    lesson_complete(volunteer=volunteer, lesson=lesson)
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1


def test_evaluation_first_then_attendance_certifies_at_the_attendance():
    course, lesson, run, session = session_course(required=1, evaluation=True)
    volunteer = enrolled_volunteer(course, run, country="NO")
    lesson_complete(volunteer=volunteer, lesson=lesson)
    assert evaluation_due(volunteer=volunteer, course=course)  # the lessons are done: it may be given
    assert (
        evaluation_services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
        is None
    )
    assert not Certificate.objects.exists()
    attendance_list_save(session=session, attended_ids={volunteer.pk}, actor=make_user(group="Trainers"))
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1


def test_attendance_first_then_evaluation_certifies_at_the_evaluation():
    course, lesson, run, session = session_course(required=1, evaluation=True)
    volunteer = enrolled_volunteer(course, run, country="NO")
    lesson_complete(volunteer=volunteer, lesson=lesson)
    attendance_list_save(session=session, attended_ids={volunteer.pk}, actor=make_user(group="Trainers"))
    assert not Certificate.objects.exists()
    assert evaluation_services.evaluation_submit(volunteer=volunteer, course=course, answers=GOOD_ANSWERS)
    assert Certificate.objects.filter(volunteer=volunteer, course=course).count() == 1


def test_a_course_without_the_setting_completes_without_attendance():
    course, lesson, run, _session = session_course()
    volunteer = enrolled_volunteer(course, run)
    lesson_complete(volunteer=volunteer, lesson=lesson)
    assert CourseCompletion.objects.filter(volunteer=volunteer).exists()
    assert attendance_progress(volunteer, course) == (0, 0)


def test_attendance_counts_sessions_of_any_run_of_the_course():
    course, lesson, run, session = session_course(required=2)
    volunteer = enrolled_volunteer(course, run)
    second = LiveSession.objects.create(
        run=run, title="Second", starts=session.starts, meeting_url="https://meet.example.org/2"
    )
    trainer = make_user(group="Trainers")
    lesson_complete(volunteer=volunteer, lesson=lesson)
    attendance_list_save(session=session, attended_ids={volunteer.pk}, actor=trainer)
    assert not CourseCompletion.objects.exists()
    attendance_list_save(session=second, attended_ids={volunteer.pk}, actor=trainer)
    assert CourseCompletion.objects.filter(volunteer=volunteer).exists()
    # A course without a run for the volunteer: enrolment elsewhere does not mark.
    other_course, _l, other_run, _other_session = session_course("Other")
    course_enrol(volunteer=volunteer, course=other_course, run=other_run)
    assert attendance_progress(volunteer, other_course) == (0, 0)
