"""Builders for live-session tests: a course with a run and a session, volunteers enrolled in the
run, a trainer of one course only, and meeting tools' attendance exports."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from courses.learning.services import course_enrol
from courses.live.models import LiveSession
from tests.courses.learning.run_helpers import make_run
from tests.factories import make_course_tree, make_user, make_volunteer


def session_course(title: str = "Live course", *, required: int = 0, evaluation: bool = False):
    """A published course with one run and one session; returns (course, lesson, run, session)."""
    course, _module, lesson = make_course_tree(title=title)
    if required or evaluation:
        course.live_sessions_required = required
        course.evaluation_required = evaluation
        course.save_revision().publish()
        course.refresh_from_db()
    run = make_run(course)
    session = LiveSession.objects.create(
        run=run,
        title=f"Roundtable of {title}",
        starts=timezone.now() + datetime.timedelta(days=12),
        meeting_url="https://meet.example.org/abc",
    )
    return course, lesson, run, session


def enrolled_volunteer(course, run, **profile):
    volunteer = make_volunteer(**profile).user
    course_enrol(volunteer=volunteer, course=course, run=run)
    return volunteer


def trainer_of(course):
    """A trainer who may edit `course` only (and keep its sessions)."""
    group = Group.objects.create(name=f"Trainers of {course.pk}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="courses", codename__endswith="livesession"),
        *Permission.objects.filter(content_type__app_label="courses", codename__endswith="sessionattendance"),
    )
    GroupPagePermission.objects.create(
        group=group, page=course, permission=Permission.objects.get(codename="change_page")
    )
    user = make_user()
    user.groups.add(group)
    return user


def zoom_csv(*emails: str) -> bytes:
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        "812 3456 7890,Roundtable,12/01/2026 07:00:00 PM,12/01/2026 08:05:00 PM,host@example.org,65,3",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent",
    ]
    for number, email in enumerate(emails):
        lines.append(f"Person {number},{email},12/01/2026 07:0{number}:00 PM,12/01/2026 08:00:00 PM,55,Yes,Y")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def teams_tsv(*emails: str) -> bytes:
    lines = [
        "1. Summary",
        "Meeting title\tRoundtable",
        "Attended participants\t2",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    ]
    for number, email in enumerate(emails):
        lines.append(
            f"สมาชิก {number}\t12/1/26, 7:00:00 PM\t12/1/26, 8:00:00 PM\t1h\t{email}\t{email}\tAttendee"
        )
    return "\r\n".join(lines).encode("utf-16")


def meet_csv(*emails: str) -> bytes:
    lines = ["First name,Last name,Email,Duration,Time joined,Time exited"]
    for number, email in enumerate(emails):
        lines.append(f"Somchai,Number {number},{email},58 min,19:01,19:59")
    return "\n".join(lines).encode("utf-8")
