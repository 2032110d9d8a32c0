"""The load test's data: a few short courses (two lessons and a quiz each) and volunteers enrolled in
all of them, made by bulk inserts with one precomputed password hash.

Pages go through Wagtail's tree API (publishing is what makes them servable); users and enrolments
are bulk inserts that satisfy the same constraints as the real services.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASSWORD = "loadtest-password"  # noqa: S105 (generated accounts on loopback only)
QUESTIONS = [
    {
        "type": "single_choice",
        "id": "lt-single",
        "value": {
            "prompt": "ใครเป็นผู้ตัดสินใจว่าจะทำอะไรต่อ",
            "points": "1",
            "feedback": "",
            "choices": [
                {"type": "item", "id": "lt-right", "value": {"text": "ผู้ขอรับความช่วยเหลือ", "correct": True}},
                {"type": "item", "id": "lt-wrong", "value": {"text": "อาสาสมัคร", "correct": False}},
            ],
        },
    },
    {
        "type": "true_false",
        "id": "lt-tf",
        "value": {"prompt": "การรับฟังเป็นทักษะ", "answer": "true", "points": "1", "feedback": ""},
    },
]
# The single choice is named by its label: the form's values are opaque and each attempt's own, so
# the client reads the value from the form it was given (loadtest.client).
RIGHT_ANSWERS = {"answer-lt-single": "ผู้ขอรับความช่วยเหลือ", "answer-lt-tf": "true"}
WRONG_ANSWERS = {"answer-lt-single": "อาสาสมัคร", "answer-lt-tf": "false"}
CHOICE_FIELDS = {"answer-lt-single"}


@dataclass
class Course:
    id: int
    url: str
    lessons: list[tuple[int, str]]  # (page id, path)
    quiz_url: str


@dataclass
class Plan:
    """What the simulated volunteers need to know: their logins and the pages of the courses."""

    prefix: str
    emails: list[str]
    courses: list[Course] = field(default_factory=list)
    password: str = PASSWORD
    # Volunteers already signed in (a phone keeps its session for weeks): email -> session key.
    sessions: dict[str, str] = field(default_factory=dict)
    session_cookie: str = "sessionid"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        courses = [Course(**{**c, "lessons": [tuple(x) for x in c["lessons"]]}) for c in data["courses"]]
        return cls(**{**data, "courses": courses})


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _signed_in_session(user) -> str:
    """A session as the login view makes it, for a volunteer whose phone is already signed in."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed(
    *,
    volunteers: int,
    courses: int = 3,
    lessons: int = 2,
    prefix: str = "loadtest",
    lessons_done: bool = False,
    form_logins: int | None = None,
) -> Plan:
    """Create the courses and `volunteers` enrolled volunteers; returns the plan the clients follow.

    With `lessons_done` every lesson is already marked done, so the volunteers go straight to quizzes.
    `form_logins` volunteers (all by default) sign in through the login form; the others start with
    a session made here, because each sign-in costs the password hasher's full work (about 0.2 s of
    CPU for PBKDF2 with a million iterations) and hundreds at once would measure only the hasher.
    The server must share this process's SECRET_KEY to accept those sessions.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils import timezone

    from courses.models import (
        CourseIndexPage,
        CoursePage,
        Enrollment,
        LessonPage,
        LessonProgress,
        ModulePage,
        QuizPage,
    )

    catalog = CourseIndexPage.objects.get(depth=3, locale__language_code="th")
    plan = Plan(prefix=prefix, emails=[])
    pages = []
    for number in range(1, courses + 1):
        course = _publish(
            catalog,
            CoursePage(
                title=f"หลักสูตรทดสอบโหลด {number}",
                slug=f"{prefix}-course-{number}",
                summary="หลักสูตรสั้นสำหรับการทดสอบโหลด",
            ),
        )
        module = _publish(course, ModulePage(title="บทที่ 1", slug="module", summary="บทเดียว"))
        lesson_pages = [
            _publish(
                module,
                LessonPage(
                    title=f"บทเรียนที่ {index}",
                    slug=f"lesson-{index}",
                    body=[{"type": "text", "value": f"<p>เนื้อหาบทเรียนที่ {index} ของหลักสูตร {number}</p>"}],
                ),
            )
            for index in range(1, lessons + 1)
        ]
        quiz = _publish(module, QuizPage(title="แบบทดสอบ", slug="quiz", questions=QUESTIONS, pass_mark=100))
        pages.append(course)
        plan.courses.append(
            Course(
                id=course.pk,
                url=course.url,
                lessons=[(lesson.pk, lesson.url) for lesson in lesson_pages],
                quiz_url=quiz.url,
            )
        )
    User = get_user_model()
    # The server's own default hasher, whatever the seeding process is configured with (the test
    # settings hash with MD5 for speed, which the server under production settings would refuse).
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(PASSWORD, hasher.salt())
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n:05d}@example.org",
                first_name="อาสา",
                last_name=f"ทดสอบโหลด {n}",
                password=password,
                email_confirmed_at=timezone.now(),  # certificates go to confirmed addresses only
            )
            for n in range(volunteers)
        ]
    )
    Enrollment.objects.bulk_create(
        [Enrollment(volunteer=user, course=course) for user in users for course in pages]
    )
    if lessons_done:
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(volunteer=user, lesson_id=lesson_id)
                for user in users
                for course in plan.courses
                for lesson_id, _url in course.lessons
            ]
        )
    plan.emails = [user.email for user in users]
    from django.conf import settings

    plan.session_cookie = settings.SESSION_COOKIE_NAME
    form_logins = volunteers if form_logins is None else form_logins
    plan.sessions = {user.email: _signed_in_session(user) for user in users[form_logins:]}
    return plan
