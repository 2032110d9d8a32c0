"""Demo course runs for `seed_demo`: the orientation's refresher course is taught in two runs. The
first is under way, its four seats taken, with one volunteer on its waiting list; the second
starts next month and already takes enrolments, so the demo volunteer sees both runs on the course
page and can enrol in the second (or wait for a seat in the first).

Dates follow today's, so the demo always shows one run under way and one to come. Goes through
the learning services; running it again changes nothing but the dates.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.authoring.models import CoursePage
from courses.demo.reports import _ensure_person
from courses.learning.models import CourseRun
from courses.learning.services import course_run_enrol
from training.dates import BUDDHIST_ERA_OFFSET, issuer_zone
from volunteers.selectors import privacy_notice_current_version

COURSE_SLUG = "orientation-refresher"
FIRST_RUN_SEATS = 4
RUN_PEOPLE = [
    ("somsak.no@example.org", "สมศักดิ์", "ใจดี", "Somsak", "Jaidee", "สมาคมไทยในนอร์เวย์"),
    ("ratana.no@example.org", "รัตนา", "สุขสม", "Ratana", "Suksom", "สมาคมไทยในนอร์เวย์"),
    ("preecha.se@example.org", "ปรีชา", "วงศ์ไทย", "Preecha", "Wongthai", "มูลนิธิไทยสวีเดน"),
    ("jintana.dk@example.org", "จินตนา", "มีสุข", "Jintana", "Meesuk", "ชมรมคนไทยในเดนมาร์ก"),
    # The fifth finds the first run full and waits for a seat.
    ("wanida.dk@example.org", "วนิดา", "แสงทอง", "Wanida", "Saengthong", "ชมรมคนไทยในเดนมาร์ก"),
]


def _run_name(number: int, starts: datetime.datetime) -> str:
    return f"รุ่นที่ {number} / {starts.astimezone(issuer_zone()).year + BUDDHIST_ERA_OFFSET}"


def _day(days: int) -> datetime.datetime:
    """Nine o'clock Bangkok time, `days` from today."""
    today = timezone.now().astimezone(issuer_zone()).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(today, datetime.time(9), tzinfo=issuer_zone())


def _runs_plan() -> list[dict]:
    return [
        {
            "enrolment_opens": _day(-21),
            "enrolment_closes": _day(10),
            "starts": _day(-7),
            "ends": _day(45),
            "seats": FIRST_RUN_SEATS,
        },
        {
            "enrolment_opens": _day(-1),
            "enrolment_closes": _day(40),
            "starts": _day(30),
            "ends": _day(90),
            "seats": 30,
        },
    ]


@transaction.atomic
def seed_runs() -> None:
    course = CoursePage.objects.get(slug=COURSE_SLUG, depth=4, locale__language_code="th")
    existing = list(CourseRun.objects.filter(course=course).order_by("pk"))
    runs = []
    for number, plan in enumerate(_runs_plan(), start=1):
        run = existing[number - 1] if len(existing) >= number else CourseRun(course=course)
        for name, value in {**plan, "name": _run_name(number, plan["starts"])}.items():
            setattr(run, name, value)
        run.full_clean()
        run.save()
        runs.append(run)
    version = privacy_notice_current_version()
    User = get_user_model()
    for person in RUN_PEOPLE:
        _ensure_person(*person, version=version)
        course_run_enrol(volunteer=User.objects.get(email=person[0]), course=course, run=runs[0])
