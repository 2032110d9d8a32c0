"""Demo data for the staff reports in `seed_demo`: completions, progress and (through the
completion listeners) certificates across Norway, Sweden and Denmark, some dated last month, and
quiz attempts at the orientation quizzes (which the demo trainer may edit) for the quiz results.

Goes through the volunteer and learning services; running it again changes nothing.
"""

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courses.authoring.models import CoursePage, LessonPage
from courses.demo.quizzes import DEMO_NAMESPACE, _right_answers
from courses.learning.models import Enrollment
from courses.learning.services import course_completion_record, course_enrol, lesson_complete
from courses.quizzes.models import QuizPage
from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit
from courses.reports.dashboard import month_start
from volunteers.models import Organization, VolunteerProfile
from volunteers.selectors import privacy_notice_current_version
from volunteers.services import email_confirm, volunteer_consent_record, volunteer_profile_update

# (email, Thai given, Thai family, Latin given, Latin family, organisation name in Thai)
REPORT_PEOPLE = [
    ("arun.no@example.org", "อรุณ", "แก้วใส", "Arun", "Kaewsai", "สมาคมไทยในนอร์เวย์"),
    ("suda.no@example.org", "สุดา", "พรหมมา", "Suda", "Promma", "สมาคมไทยในนอร์เวย์"),
    ("lamai.se@example.org", "ละมัย", "ทองดี", "Lamai", "Thongdee", "มูลนิธิไทยสวีเดน"),
    ("boonmee.se@example.org", "บุญมี", "ศรีงาม", "Boonmee", "Sringam", "มูลนิธิไทยสวีเดน"),
    ("pim.dk@example.org", "พิมพ์", "ชัยชนะ", "Pim", "Chaichana", "ชมรมคนไทยในเดนมาร์ก"),
    ("chai.dk@example.org", "ชัย", "เจริญสุข", "Chai", "Charoensuk", "ชมรมคนไทยในเดนมาร์ก"),
]

# (email, course slug, when): "last_month", "this_month" or "months_ago_N" completes the course
# on that day; a number marks that many required lessons done and leaves the course in progress.
LEARNING_PLAN = [
    ("prasert.no@example.org", "orientation", "last_month"),
    ("arun.no@example.org", "orientation", "last_month"),
    ("kanya.no@example.org", "orientation", "last_month"),
    ("suda.no@example.org", "orientation", 5),
    ("wichai.se@example.org", "orientation", 4),
    ("lamai.se@example.org", "orientation", "this_month"),
    ("boonmee.se@example.org", "how-to-use-this-platform", "this_month"),
    ("malai.se@example.org", "how-to-use-this-platform", 1),
    ("pim.dk@example.org", "orientation", "last_month"),
    ("chai.dk@example.org", "orientation", 2),
    ("napa.dk@example.org", "how-to-use-this-platform", "this_month"),
    # Earlier months, so that the charts of completions per month show a year's shape.
    ("arun.no@example.org", "how-to-use-this-platform", "months_ago_6"),
    ("kanya.no@example.org", "how-to-use-this-platform", "months_ago_5"),
    ("pim.dk@example.org", "how-to-use-this-platform", "months_ago_4"),
    ("lamai.se@example.org", "how-to-use-this-platform", "months_ago_3"),
    ("prasert.no@example.org", "how-to-use-this-platform", "months_ago_3"),
    ("suda.no@example.org", "how-to-use-this-platform", "months_ago_2"),
]

# (email, which orientation quiz in module order, the answers of each attempt in turn): "right"
# answers every question, "half" the first half of them, "none" submits an empty attempt.
QUIZ_PLAN = [
    ("arun.no@example.org", 0, ["none", "right"]),
    ("arun.no@example.org", 1, ["right"]),
    ("kanya.no@example.org", 0, ["right"]),
    ("prasert.no@example.org", 0, ["half", "right"]),
    ("suda.no@example.org", 0, ["half", "none"]),
    ("suda.no@example.org", 1, ["right"]),
    ("wichai.se@example.org", 0, ["right"]),
    ("lamai.se@example.org", 0, ["half", "right"]),
    ("lamai.se@example.org", 2, ["right"]),
    ("pim.dk@example.org", 0, ["right"]),
    ("chai.dk@example.org", 0, ["half"]),
]


def _ensure_person(email, given_th, family_th, given_en, family_en, organisation_name, version) -> None:
    User = get_user_model()
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    email_confirm(user=user)  # as if they followed the mailed link: certificates need a confirmed address
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None or profile.consent_version != version:
        profile = volunteer_consent_record(user=user, version=version)
    organisation = Organization.objects.get(name_th=organisation_name)
    wanted = {
        "title": "",
        "given_name_th": given_th,
        "family_name_th": family_th,
        "given_name_en": given_en,
        "family_name_en": family_en,
        "country": organisation.country,
        "city": organisation.city,
        "organization": organisation,
        "organization_role": "อาสาสมัคร",
    }
    if any(getattr(profile, name) != value for name, value in wanted.items()):
        volunteer_profile_update(profile=profile, data=wanted)


def _moment(when: str, index: int) -> datetime.datetime:
    start = month_start()
    if when == "last_month":
        return start - datetime.timedelta(days=12 - index % 5, hours=14)
    if when.startswith("months_ago_"):
        earlier = start
        for _month in range(int(when.removeprefix("months_ago_")) - 1):
            earlier = month_start(earlier - datetime.timedelta(days=1))
        return earlier - datetime.timedelta(days=10 + index % 7, hours=3)
    return min(start + datetime.timedelta(hours=10 + index), timezone.now())


@transaction.atomic
def seed_report_data() -> None:
    version = privacy_notice_current_version()
    for person in REPORT_PEOPLE:
        _ensure_person(*person, version=version)
    User = get_user_model()
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(locale__language_code="th", depth=4, live=True)
    }
    for index, (email, slug, when) in enumerate(LEARNING_PLAN):
        volunteer, course = User.objects.get(email=email), courses[slug]
        enrolment, _new = course_enrol(volunteer=volunteer, course=course)
        lessons = LessonPage.objects.descendant_of(course).live().filter(is_required=True).order_by("path")
        if isinstance(when, int):
            for lesson in lessons[:when]:
                lesson_complete(volunteer=volunteer, lesson=lesson)
            continue
        completed_at = _moment(when, index)
        if enrolment.enrolled_at > completed_at:
            # Demo history: the enrolment came before the dated completion.
            Enrollment.objects.filter(pk=enrolment.pk).update(
                enrolled_at=completed_at - datetime.timedelta(days=9)
            )
        course_completion_record(volunteer=volunteer, course=course, completed_at=completed_at)
        for lesson in lessons:
            lesson_complete(volunteer=volunteer, lesson=lesson)


def _answers(questions: list[dict], kind: str) -> dict:
    if kind == "none":
        return {}
    right = _right_answers(questions)
    if kind == "half":
        return dict(list(right.items())[: len(right) // 2])
    return right


@transaction.atomic
def seed_quiz_results() -> None:
    """Attempts at the orientation quizzes by volunteers in Norway, Sweden and Denmark, through the
    quiz services; fixed attempt tokens keep it idempotent."""
    User = get_user_model()
    course = CoursePage.objects.get(slug="orientation", depth=4, locale__language_code="th")
    quizzes = list(QuizPage.objects.descendant_of(course).live().order_by("path"))
    for email, quiz_index, attempts in QUIZ_PLAN:
        volunteer, quiz = User.objects.get(email=email), quizzes[quiz_index]
        for number, kind in enumerate(attempts, start=1):
            token = uuid.uuid5(DEMO_NAMESPACE, f"report-{email}-{quiz_index}-{number}")
            attempt = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=token)
            quiz_attempt_submit(attempt=attempt, answers=_answers(attempt.questions, kind))
