"""Demo live sessions for `seed_demo`: the refresher course's runs meet online. The first run met
five days ago (three of its four volunteers attended; the trainer recorded it) and meets again in
two days; the second run's opening session is soon after it starts. The refresher asks for one
session attended (and the evaluation) before its certificate, so the demo shows the whole path.

Times follow today's, at 15:00 in Oslo (21:00 or 22:00 in Bangkok), so the volunteers in Norway
meet after work. Goes through the models' own validation and the attendance list's service; running it again
changes nothing but the dates.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.demo.runs import COURSE_SLUG, RUN_PEOPLE
from courses.learning.models import CourseRun
from courses.live.attendance import attendance_list_save
from courses.live.models import LiveSession
from volunteers.demo import demo_login_give

OSLO = ZoneInfo("Europe/Oslo")
MEETING_URL = "https://meet.jit.si/opm-overseas-volunteers-demo"
ATTENDED = [person[0] for person in RUN_PEOPLE[:3]]


def _oslo_afternoon(days: int) -> datetime.datetime:
    day = timezone.now().astimezone(OSLO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(15), tzinfo=OSLO)


def _plan(first_run: CourseRun, second_run: CourseRun) -> list[tuple[CourseRun, dict]]:
    return [
        (
            first_run,
            {
                "title": "วงสนทนาเปิดรุ่น: ทบทวนบทบาทอาสาสมัครกับเครือข่ายไทยในนอร์เวย์",
                "starts": _oslo_afternoon(-5),
                "duration_minutes": 90,
                "description": "แนะนำตัว เล่าประสบการณ์การช่วยเหลือในปีที่ผ่านมา และทบทวนหลักการรักษาความลับ",
            },
        ),
        (
            first_run,
            {
                "title": "ถาม-ตอบ: การส่งต่อกรณีข้ามประเทศ",
                "starts": _oslo_afternoon(2),
                "duration_minutes": 60,
                "description": "เตรียมคำถามจากกรณีที่ท่านพบ (ไม่ต้องระบุชื่อผู้ที่เกี่ยวข้อง)",
            },
        ),
        (
            second_run,
            {
                "title": "วงสนทนาเปิดรุ่น: ทบทวนบทบาทอาสาสมัคร",
                "starts": _oslo_afternoon(32),
                "duration_minutes": 90,
                "description": "แนะนำตัว และทบทวนหลักการรักษาความลับ",
            },
        ),
    ]


@transaction.atomic
def seed_live_sessions() -> None:
    course = CoursePage.objects.get(slug=COURSE_SLUG, depth=4, locale__language_code="th")
    first_run, second_run = CourseRun.objects.filter(course=course).order_by("pk")[:2]
    by_run: dict[int, list[LiveSession]] = {}
    for session in LiveSession.objects.filter(run__course=course).order_by("run", "pk"):
        by_run.setdefault(session.run_id, []).append(session)
    sessions = []
    for run, fields in _plan(first_run, second_run):
        kept = by_run.get(run.pk, [])
        session = kept.pop(0) if kept else LiveSession(run=run)
        wanted = {**fields, "meeting_url": MEETING_URL}
        if session.pk is None or any(getattr(session, name) != value for name, value in wanted.items()):
            # Saved only when it changed: each save is a new revision for calendars (SEQUENCE).
            for name, value in wanted.items():
                setattr(session, name, value)
            session.full_clean()
            session.save()
        sessions.append(session)
    User = get_user_model()
    demo_login_give(ATTENDED[0], "volunteer, in a course run: a live session attended, the next in two days")
    # Recorded by the demo trainer through the attendance list, as in the admin (audited).
    attendance_list_save(
        session=sessions[0],
        attended_ids=set(User.objects.filter(email__in=ATTENDED).values_list("pk", flat=True)),
        actor=User.objects.filter(email="trainer@example.org").first(),
    )
