"""Generate the benchmark dataset by bulk inserts that satisfy the same constraints as real use.

    python bench/dataset.py --size S            # build (or reuse) the dataset
    python bench/dataset.py --size S --sessions 500 --out sessions.json

The course tree (courses > modules > lessons and one 10-question quiz per module) is made with
Wagtail's page API (`add_child`), so the tree is valid; everything below it (volunteers, profiles,
enrolments, lesson progress, completions, certificates) is bulk-inserted. Every generated user
shares one precomputed password hash. Certificates get their signed credential; their PDFs are
rendered lazily, on first download, as in production when the render queue has not run yet.

Completions are unique per volunteer and course, so size S (1,000 volunteers, 10 courses) has every
volunteer complete every course; the volunteers the load generator plays ("learners") are therefore
a separate pool, enrolled everywhere, halfway through the first course and done with the last
(completed, with a certificate). Completed courses carry their enrolment, completion and
certificate but no per-lesson progress rows.

`--sessions N` signs in the first N learners and one staff member by writing sessions straight into
the session store (as a login would), and prints their cookies as JSON: simulated volunteers log in
once, not on every loop.
"""

import argparse
import datetime
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.bench")

SIZES = {
    "S": {"courses": 10, "modules": 10, "lessons": 5, "volunteers": 1_000, "completions": 10_000},
    "M": {"courses": 50, "modules": 10, "lessons": 5, "volunteers": 10_000, "completions": 100_000},
}
LEARNERS = 6_000  # enough for the largest step of the mixed-journey ramp
QUESTIONS = 10
PASSWORD = "bench-password"  # noqa: S105 (benchmark users on loopback only)
STAFF_EMAIL = "bench-staff@example.org"
SLUG_PREFIX = "bench-course-"
BATCH = 2_000
COUNTRIES = ["NO", "SE", "DK", "DE", "GB", "US", "JP", "AU"]


def progress(label: str, done: int, total: int) -> None:
    percent = 100 * done // max(total, 1)
    sys.stderr.write(f"\r  {label}: {done:,}/{total:,} ({percent}%)")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def bulk(model, objects, label: str) -> list:
    """bulk_create in batches with a progress line; returns the saved objects (with primary keys)."""
    saved = []
    total = len(objects)
    for start in range(0, total, BATCH):
        saved += model.objects.bulk_create(objects[start : start + BATCH])
        progress(label, min(start + BATCH, total), total)
    if not total:
        progress(label, 0, 0)
    return saved


def quiz_questions(module_number: int) -> list[dict]:
    """Ten single-choice questions; the first choice is right (the load generator answers it)."""
    return [
        {
            "type": "single_choice",
            "id": f"q{n}",
            "value": {
                "prompt": f"คำถามที่ {n} ของบทที่ {module_number}",
                "points": "1",
                "feedback": "",
                "choices": [
                    {
                        "type": "item",
                        "id": f"q{n}-{kind}",
                        "value": {"text": text, "correct": ok, "feedback": ""},
                    }
                    for kind, text, ok in (("right", "ถูก", True), ("wrong", "ผิด", False))
                ],
            },
        }
        for n in range(1, QUESTIONS + 1)
    ]


LESSON_BODY = [
    {"type": "heading", "value": {"text": "ทำความเข้าใจ", "level": "h2"}},
    {
        "type": "text",
        "value": "<p>อาสาสมัครรับฟังอย่างตั้งใจ ไม่ตัดสิน และส่งต่อผู้ที่ต้องการความช่วยเหลือไปยังหน่วยงานที่เหมาะสม</p>" * 4,
    },
]


def library_picture():
    """A photograph-sized picture in the image library: every course's cover and a figure in every
    lesson, as the demo's courses have (their pages pick renditions of it)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 900), (11, 83, 148)).save(buffer, format="JPEG", quality=85)
    picture = get_image_model()(
        title="ภาพประกอบหลักสูตร",
        file=ImageFile(buffer, name="bench-picture.jpg"),
        collection=Collection.objects.get(name="Training media"),
    )
    picture.save()
    return picture


def build_courses(spec: dict) -> list:
    """The course tree through Wagtail's page API; returns [(course, [(module, [lessons], quiz)])]."""
    from django.utils import timezone

    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage

    catalog = CourseIndexPage.objects.get(depth=3, locale__language_code="th")
    picture = library_picture()
    body = [
        *LESSON_BODY,
        {"type": "image", "value": {"image": picture.pk, "alt_text": "อาสาสมัครกำลังรับฟัง", "caption": ""}},
    ]
    now = timezone.now()
    pages_total = spec["courses"] * (1 + spec["modules"] * (2 + spec["lessons"]))
    made = 0
    tree = []

    def add(parent, page):
        nonlocal made
        page.live = True
        page.first_published_at = page.last_published_at = now
        parent.add_child(instance=page)
        made += 1
        if made % 25 == 0 or made == pages_total:
            progress("pages", made, pages_total)
        return page

    for c in range(spec["courses"]):
        course = add(
            catalog,
            CoursePage(
                title=f"หลักสูตรทดสอบ {c + 1}",
                slug=f"{SLUG_PREFIX}{c + 1}",
                summary="หลักสูตรสำหรับวัดประสิทธิภาพ",
                estimated_hours=5,
                cover_image=picture,
                cover_alt="อาสาสมัครในชุมชน",
            ),
        )
        modules = []
        for m in range(spec["modules"]):
            module = add(course, ModulePage(title=f"บทที่ {m + 1}", slug=f"module-{m + 1}", summary="สรุปบท"))
            lessons = [
                add(
                    module,
                    LessonPage(title=f"บทเรียน {m + 1}.{n + 1}", slug=f"lesson-{n + 1}", body=body),
                )
                for n in range(spec["lessons"])
            ]
            quiz = add(
                module,
                QuizPage(title=f"แบบทดสอบบทที่ {m + 1}", slug="quiz", questions=quiz_questions(m + 1)),
            )
            modules.append((module, lessons, quiz))
        tree.append((course, modules))
    return tree


def make_users(prefix: str, count: int, password: str, consent_version: int | None) -> list:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from volunteers.models import VolunteerProfile

    User = get_user_model()
    users = bulk(
        User,
        [
            User(
                email=f"{prefix}-{n:06d}@example.org",
                first_name="อาสา",
                last_name=f"ทดสอบ{n}",
                password=password,
            )
            for n in range(count)
        ],
        f"{prefix} accounts",
    )
    now = timezone.now()
    bulk(
        VolunteerProfile,
        [
            VolunteerProfile(
                user=user,
                given_name_th="อาสา",
                family_name_th=f"ทดสอบ{n}",
                given_name_en="Asa",
                family_name_en=f"Thotsop{n}",
                country=COUNTRIES[n % len(COUNTRIES)],
                consent_version=consent_version,
                consented_at=now if consent_version else None,
            )
            for n, user in enumerate(users)
        ],
        f"{prefix} profiles",
    )
    return users


def sign_credentials(certificates: list) -> None:
    """Sign each certificate's credential as `certificate_issue` does (the service signs one at a time)."""
    from certificates.models import Certificate
    from certificates.services import _sign_credential

    total = len(certificates)
    for start in range(0, total, BATCH):
        chunk = certificates[start : start + BATCH]
        for certificate in chunk:
            certificate.credential = _sign_credential(certificate)
        Certificate.objects.bulk_update(chunk, ["credential"])
        progress("credentials signed", min(start + BATCH, total), total)


def generate(size: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from certificates import credentials
    from certificates.models import Certificate, CertificateSerialSequence
    from certificates.services import SERIAL_PREFIX, template_for
    from courses.models import CourseCompletion, CoursePage, Enrollment, LessonProgress
    from volunteers.selectors import privacy_notice_current_version

    spec = SIZES[size]
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if CoursePage.objects.filter(slug=f"{SLUG_PREFIX}1").exists():
        print(f"dataset {size} present: reused")
        return
    print(f"dataset {size}: seeding the demo site, then generating")
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    consent = privacy_notice_current_version()
    password = make_password(PASSWORD)
    with transaction.atomic():
        tree = build_courses(spec)
        User = get_user_model()
        staff = User.objects.create(
            email=STAFF_EMAIL, first_name="Bench", last_name="Staff", password=password
        )
        staff.groups.add(Group.objects.get(name="Staff"))
        TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
        volunteers = make_users("bench-volunteer", spec["volunteers"], password, consent)
        learners = make_users("bench-learner", LEARNERS, password, consent)
        courses = [course for course, _modules in tree]
        now = timezone.now()
        enrolments = [Enrollment(volunteer=user, course=course) for user in learners for course in courses]
        per_volunteer = spec["completions"] // spec["volunteers"]
        pairs = [
            (user, courses[(n + k) % len(courses)])
            for n, user in enumerate(volunteers)
            for k in range(per_volunteer)
        ]
        enrolments += [Enrollment(volunteer=user, course=course) for user, course in pairs]
        bulk(Enrollment, enrolments, "enrolments")
        pairs += [(user, courses[-1]) for user in learners]  # learners have completed the last course
        first_half = [
            lesson for _module, lessons, _quiz in tree[0][1][: spec["modules"] // 2] for lesson in lessons
        ]
        bulk(
            LessonProgress,
            [LessonProgress(volunteer=user, lesson=lesson) for user in learners for lesson in first_half],
            "lesson progress",
        )
        day = datetime.timedelta(days=1)
        completed = [now - day * (n % 365) for n in range(len(pairs))]
        bulk(
            CourseCompletion,
            [
                CourseCompletion(volunteer=user, course=course, completed_at=when)
                for (user, course), when in zip(pairs, completed, strict=True)
            ],
            "completions",
        )
        year = now.year
        sequence, _created = CertificateSerialSequence.objects.select_for_update().get_or_create(year=year)
        first_serial = sequence.last_value + 1
        sequence.last_value += len(pairs)
        sequence.save(update_fields=["last_value"])
        template = template_for(courses[0])
        snapshot = {
            "course_summary": courses[0].summary,
            "signatory_name": template.signatory_name if template else "",
            "signatory_title": template.signatory_title if template else "",
            "signature_image_id": template.signature_image_id if template else None,
            "logo_image_id": template.logo_image_id if template else None,
        }
        from django.conf import settings

        snapshot["issuer_name_th"] = settings.CERTIFICATE_ISSUER_NAME_TH
        snapshot["issuer_name_en"] = settings.CERTIFICATE_ISSUER_NAME_EN
        # Random, distinct status list indexes, as certificate_issue draws them one at a time.
        taken = set(Certificate.objects.values_list("status_list_index", flat=True))
        capacity = credentials.status_list_capacity(len(taken) + len(pairs))
        drawn = secrets.SystemRandom().sample(range(capacity), len(taken) + len(pairs))
        indexes = [index for index in drawn if index not in taken][: len(pairs)]
        certificates = bulk(
            Certificate,
            [
                Certificate(
                    volunteer=user,
                    course=course,
                    serial=f"{SERIAL_PREFIX}-{year}-{first_serial + n:06d}",
                    status_list_index=indexes[n],
                    issued_at=when,
                    holder_name_th=f"{user.first_name} {user.last_name}",
                    holder_name_en="",
                    course_title_th=course.title,
                    template_version=template.version_label if template else "",
                    snapshot={**snapshot, "issued_on": when.date().isoformat()},
                )
                for n, ((user, course), when) in enumerate(zip(pairs, completed, strict=True))
            ],
            "certificates",
        )
        sign_credentials(certificates)
    with connection.cursor() as cursor:
        # Fresh statistics, as a database in use has: without them the planner takes the bulk-filled
        # tables for empty ones.
        cursor.execute("ANALYZE")
    print(f"dataset {size} ready in {time.monotonic() - started:.1f} s")


def sessions(count: int) -> dict:
    """Sign in the first `count` learners and the bench staff member; returns their cookies and ids."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.urls import reverse
    from django.utils.module_loading import import_string
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from courses.models import CoursePage, LessonPage, QuizPage
    from training.middleware import ADMIN_SESSION_FLAG, LAST_ACTIVITY_KEY
    from volunteers.middleware import CONSENT_SESSION_KEY
    from volunteers.selectors import privacy_notice_current_version

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    consent = privacy_notice_current_version()
    User = get_user_model()

    def signed_in(user, extra: dict | None = None) -> str:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if consent:
            session[CONSENT_SESSION_KEY] = consent
        session.update(extra or {})
        session.create()
        return session.session_key

    learners = list(User.objects.filter(email__startswith="bench-learner-").order_by("email")[:count])
    staff = User.objects.get(email=STAFF_EMAIL)
    device = TOTPDevice.objects.get(user=staff, name="bench")
    course = CoursePage.objects.get(slug=f"{SLUG_PREFIX}1")
    lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
    quizzes = list(QuizPage.objects.descendant_of(course).live().order_by("path"))
    holder = User.objects.get(email="bench-volunteer-000000@example.org")
    return {
        "holder": signed_in(holder),
        "holder_certificate": holder.certificates.filter(status="valid").order_by("pk").first().token,
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "learners": [signed_in(user) for user in learners],
        "staff": signed_in(
            staff,
            {
                ADMIN_SESSION_FLAG: True,
                LAST_ACTIVITY_KEY: int(time.time()),
                "otp_device_id": device.persistent_id,
            },
        ),
        "course_url": course.url,
        # A course in each state the learners are in: half done, not started, completed.
        "course_urls": [
            course.url,
            CoursePage.objects.get(slug=f"{SLUG_PREFIX}2").url,
            CoursePage.objects.filter(slug__startswith=SLUG_PREFIX).order_by("-path").first().url,
        ],
        "dashboard_url": reverse("learning_dashboard"),
        "lessons": [{"id": lesson.pk, "url": lesson.url} for lesson in lessons],
        "quizzes": [{"id": quiz.pk, "url": quiz.url} for quiz in quizzes],
    }


def check_attempts(tokens: list[str]) -> dict:
    """How many attempts each submission token made, and whether each was graded once."""
    import django

    django.setup()
    from django.db.models import Count

    from courses.models import QuizAttempt

    counts = dict(
        QuizAttempt.objects.filter(token__in=tokens)
        .values_list("token")
        .annotate(n=Count("pk"))
        .values_list("token", "n")
    )
    finished = QuizAttempt.objects.filter(token__in=tokens, state=QuizAttempt.State.FINISHED).count()
    return {
        "tokens": len(tokens),
        "with_one_attempt": sum(1 for n in counts.values() if n == 1),
        "with_several": sum(1 for n in counts.values() if n > 1),
        "without_attempt": len(tokens) - len(counts),
        "finished": finished,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument(
        "--sessions", type=int, default=0, help="sign in this many learners and print cookies"
    )
    parser.add_argument("--out", help="write the sessions JSON here")
    parser.add_argument(
        "--check-attempts", help="a JSON file of quiz submission tokens to count in the database"
    )
    arguments = parser.parse_args()
    if arguments.check_attempts:
        tokens = json.loads(Path(arguments.check_attempts).read_text())
        print("ATTEMPTS_JSON " + json.dumps(check_attempts(tokens)))
    elif arguments.sessions:
        Path(arguments.out).write_text(json.dumps(sessions(arguments.sessions)))
    else:
        generate(arguments.size)
