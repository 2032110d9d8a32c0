"""The authorization matrix: every role against every URL, admin area and object, with GET and POST.

Each row names a URL pattern, builds its URL for the objects of the test world and gives the
expected outcome for the six roles, in the order of ROLES, for GET and for POST; two country
coordinators answer as staff unless the row says otherwise (matrix_site.COORDINATOR_ROLES). Every request
runs in a savepoint that is rolled back, so no cell changes what the next one sees. The URLconf
is walked too: a public URL pattern, or an admin URL pattern of our apps, that has no row fails
the coverage test until a row is added for it.

Outcomes: a status code ("200", "403", "404", "405", ...), "login" (redirect to the volunteers'
sign-in), "admin-login" (to the admin sign-in), "denied" (Wagtail's redirect to the dashboard with
"you do not have permission"), "2fa" / "2fa-setup" (to the two-step pages), "302" (any other
redirect, the normal answer to a successful form POST).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail_localize.models import TranslationSource

from certificates.models import CertificateTemplate
from certificates.services import certificate_issue
from courses.evaluations.models import EvaluationForm
from courses.learning.services import course_enrol, lesson_complete
from courses.models import CourseRun, Enrollment, HelpLine, QuizAttempt
from notifications.models import Notification, SuppressedAddress
from notifications.tasks import notification_deliver
from tests import demo_copy
from tests.courses.quizzes.quiz_helpers import RIGHT_POST, add_quiz, as_posted
from tests.factories import (
    catalog_page,
    make_coordinator,
    make_course_tree,
    make_document,
    make_failed_task,
    make_organization,
    make_privacy_notice,
    make_undelivered_mail,
    make_user,
    make_volunteer,
)
from tests.security.matrix_admin import ADMIN_ROWS
from tests.security.matrix_bank import BANK_ROWS, bank_world
from tests.security.matrix_certificates import CERTIFICATE_ROWS
from tests.security.matrix_charts import CHART_ROWS
from tests.security.matrix_evaluations import EVALUATION_ROWS
from tests.security.matrix_live_admin import LIVE_ADMIN_ROWS, live_admin_world
from tests.security.matrix_live_calendar import LIVE_CALENDAR_ROWS, live_calendar_world
from tests.security.matrix_operations import OPERATIONS_ROWS
from tests.security.matrix_organisations import ORGANISATION_ROWS, certification_world
from tests.security.matrix_runs import RUN_ROWS
from tests.security.matrix_site import COORDINATOR_ROLES, OUR_APPS, ROLES, SITE_ROWS, Row, admin, bulk
from training.notices import unsubscribe_token
from volunteers.tokens import email_confirmation_token, password_set_path_args

pytestmark = pytest.mark.django_db


def build_world() -> SimpleNamespace:
    make_privacy_notice(version=1)
    course, module, lesson = make_course_tree(title="Matrix course")
    quiz = add_quiz(module)
    draft, _draft_module, _draft_lesson = make_course_tree(title="Draft course", publish=False)
    # A course that asks for the evaluation: A has done its lesson (the evaluation is due), B has not.
    evaluated, _evaluated_module, evaluated_lesson = make_course_tree(title="Evaluated course")
    evaluated.evaluation_required = True
    evaluated.save_revision().publish()
    a = make_volunteer(
        email="alpha.matrix@example.org",
        given_name_th="อัลฟา",
        family_name_th="ทดสอบเอ",
        given_name_en="Alphaname",
        family_name_en="Amatrix",
        phone="+4711111111",
        country="NO",
    )
    b = make_volunteer(
        email="bravo.matrix@example.org",
        given_name_th="บราโว",
        family_name_th="ทดสอบบี",
        given_name_en="Bravoname",
        family_name_en="Bmatrix",
        phone="+4722222222",
        country="NO",
    )
    for profile in (a, b):
        course_enrol(volunteer=profile.user, course=course)
    lesson_complete(volunteer=a.user, lesson=lesson)
    course_enrol(volunteer=a.user, course=evaluated)
    lesson_complete(volunteer=a.user, lesson=evaluated_lesson)
    client = Client()
    client.force_login(a.user)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    client.post(
        quiz.url, {"action": "submit", "attempt": str(attempt.token), **as_posted(RIGHT_POST, attempt.token)}
    )
    certificate = certificate_issue(volunteer=a.user, course=course)
    # A is told of the certificate: delivered here, as after the commit.
    notification = Notification.objects.get(user=a.user, kind="certificate_issued")
    notification_deliver.call(notification_id=notification.pk)
    # A course with a run, A enrolled in it: staff move or extend that enrolment, not the one in a
    # course without runs.
    runs_course, _runs_module, _runs_lesson = make_course_tree(title="Run course")
    run = CourseRun.objects.create(
        course=runs_course,
        name="รุ่นที่ 1 / 2570",
        enrolment_opens=timezone.now() - timedelta(days=1),
        enrolment_closes=timezone.now() + timedelta(days=10),
        starts=timezone.now() + timedelta(days=10),
        ends=timezone.now() + timedelta(days=70),
    )
    run_enrolment, _new = course_enrol(volunteer=a.user, course=runs_course, run=run)
    captions = make_document(title="Captions", filename="captions.vtt", content=b"WEBVTT\n")
    superuser = get_user_model().objects.create_superuser(email="root.matrix@example.org", password="x")
    users = {
        "anonymous": None,
        "volunteer_a": a.user,
        "volunteer_b": b.user,
        "trainer": make_user(group="Trainers"),
        "staff": make_user(group="Staff"),
        "superuser": superuser,
        "coordinator_here": make_coordinator(("NO",)),
        "coordinator_elsewhere": make_coordinator(("SE",)),
    }
    # Django's reset token covers the last sign-in time, to the second. Date A's an hour back, so
    # A's own sign-in in a cell always voids the link (200, "invalid link"), however fast the run.
    get_user_model().objects.filter(pk=a.user.pk).update(last_login=timezone.now() - timedelta(hours=1))
    a.user.refresh_from_db()
    reset = password_set_path_args(a.user)
    return SimpleNamespace(
        users=users,
        a=a,
        b=b,
        course=course,
        lesson=lesson,
        runs_course=runs_course,
        run=run,
        run_enrolment=run_enrolment,
        plain_enrolment=Enrollment.objects.get(volunteer=a.user, course=course),
        quiz=quiz,
        draft=draft,
        evaluated=evaluated,
        evaluation_form=EvaluationForm.objects.get(is_default=True),
        certificate=certificate,
        notification=notification,
        unsubscribe_token=unsubscribe_token(a.user.pk, "course_reminder"),
        attempt=attempt,
        captions=captions,
        organization=make_organization(name_th="องค์กรตาราง"),
        helpline=HelpLine.objects.create(organisation="Help", country="NO", phone="+47 800 00 000"),
        template=CertificateTemplate.objects.create(
            name="Matrix template", course=course, signatory_name="Signer", signatory_title="Director"
        ),
        confirm_token=email_confirmation_token(a.user),
        reset=reset,
        translation_source=TranslationSource.get_or_create_from_instance(course)[0],
        failed_task=make_failed_task(),
        undelivered_mail=make_undelivered_mail(),
        suppressed_address=SuppressedAddress.objects.get(),
        **live_calendar_world(a=a.user, run=run),
        **live_admin_world(run=run),
        **bank_world(),
        **_certification_world(users["staff"]),
        staff_course=_staff_course(),
    )


def _staff_course():
    """A draft course outside the catalog, where no trainer has rights: a course the matrix's
    trainer may not edit (its participants are a 404 to them)."""
    from courses.models import CoursePage

    course = CoursePage(title="Staff course", slug="staff-course", summary="Outside the catalog", live=False)
    catalog_page().get_parent().add_child(instance=course)
    return course


def _certification_world(staff) -> dict:
    """An organisation's draft certification application with a document, its leader someone else."""
    from volunteers.memberships import organization_leader_appoint

    organization = make_organization(name_th="องค์กรใบสมัครตาราง")
    leader = make_user(email="certification.leader@example.org")
    organization_leader_appoint(organization=organization, user=leader, actor=staff)
    made = certification_world(organization, leader)
    return {
        "certification": made["application"],
        "certification_member": made["member"],
        "certification_document": made["document"],
    }


world_rows, world = demo_copy.world_fixtures(build_world)

ROWS = [
    *SITE_ROWS,
    *ADMIN_ROWS,
    *CERTIFICATE_ROWS,
    *EVALUATION_ROWS,
    *OPERATIONS_ROWS,
    *RUN_ROWS,
    *LIVE_CALENDAR_ROWS,
    *LIVE_ADMIN_ROWS,
    *BANK_ROWS,
    *CHART_ROWS,
    *ORGANISATION_ROWS,
]


def outcome(response) -> str:
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        for prefix, name in (
            ("/accounts/login/", "login"),
            ("/en/accounts/login/", "login"),
            ("/admin/login/", "admin-login"),
            ("/admin/two-step/setup/", "2fa-setup"),
            ("/admin/two-step/verify/", "2fa"),
        ):
            if path.startswith(prefix):
                return name
        if path == "/admin/":
            return "denied"
        return "302"
    return str(response.status_code)


def request_cell(world, row: Row, role: str, method: str, sessions: dict | None = None):
    """One request in a savepoint rolled back afterwards. With `sessions`, the role signs in once per
    test (outside the savepoints) and every cell reuses that session: what a cell writes to it, or
    deleting it, is rolled back, and the cache (cached sessions among it) is emptied between cells."""
    cache.clear()  # throttles and cached pages start afresh in every cell
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None and sessions is not None:
        if role not in sessions:
            signing_in = Client()
            signing_in.force_login(user)
            sessions[role] = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    with transaction.atomic():
        if user is not None and sessions is None:
            client.force_login(user)
        url = row.url(world)
        if method == "GET":
            response = client.get(url)
        else:
            data = {key: value.format(attempt=world.attempt.token) for key, value in row.data.items()}
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response


def markers(profile) -> list[str]:
    return [
        profile.user.email,
        profile.given_name_th,
        profile.family_name_th,
        profile.given_name_en,
        profile.family_name_en,
        profile.phone,
    ]


@pytest.mark.parametrize("role", ROLES + COORDINATOR_ROLES)
def test_every_cell_of_the_matrix_has_its_expected_outcome(world, role):
    others = {
        "volunteer_a": markers(world.b),
        "volunteer_b": [*markers(world.a), world.certificate.serial],
        # Norway's volunteers and their certificate: nothing a coordinator for Sweden sees. (The names
        # of organisations are public: the profile form offers them all.)
        "coordinator_elsewhere": [*markers(world.a), *markers(world.b), world.certificate.serial],
    }
    differences, leaks, observed, sessions = [], [], [], {}
    for row in ROWS:
        cells = []
        for method in ("GET", "POST"):
            response = request_cell(world, row, role, method, sessions)
            got = outcome(response)
            cells.append(got)
            expected = row.expected(method, role)
            if got != expected:
                differences.append(f"{method} {row.url(world)} ({row.name}): expected {expected}, got {got}")
            if role in others and got == "200" and not row.by_link and not response.streaming:
                body = response.content.decode(errors="replace")
                leaked = [marker for marker in others[role] if marker and marker in body]
                if leaked:
                    leaks.append(f"{method} {row.url(world)} shows {leaked}")
        observed.append(f"{row.name} {row.url(world)} {cells}")
    print("\n".join(observed))
    assert not differences, "\n".join(differences)
    assert not leaks, "\n".join(leaks)


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", pattern.callback)
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), view.__module__


def _ours(route: str, name: str, module: str) -> bool:
    if not route.startswith("admin/"):
        return True  # every public URL
    return module.split(".")[0] in OUR_APPS or any(
        f"_{app}_" in name or name.startswith(("certificate_", "two_factor")) for app in OUR_APPS
    )


def test_every_public_url_and_every_admin_url_of_our_apps_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(
        f"{route} ({name})"
        for route, name, module in _walk(get_resolver().url_patterns)
        if _ours(route, name, module) and name not in covered
    )
    assert not missing, "Add rows to the authorization matrix for:\n" + "\n".join(missing)


# --- With two-step verification required --------------------------------------------------------
# (role, URL, expected outcome of a GET) for a session that signed in with its password only.
TWO_FACTOR_CELLS = [
    ("staff", admin("volunteers/people/"), "2fa-setup"),
    ("staff", admin("volunteers/people/inspect/{w.a.pk}/"), "2fa-setup"),
    ("staff", admin("volunteers/import/"), "2fa-setup"),
    ("staff", admin("reports/completions/?export=csv"), "2fa-setup"),
    ("staff", admin("certificates/issued/verify/"), "2fa-setup"),
    ("staff", lambda w: f"/certificates/{w.certificate.token}.pdf", "2fa-setup"),
    ("superuser", lambda w: f"/certificates/{w.certificate.token}.pdf", "2fa-setup"),
    ("trainer", admin("courses/quiz/{w.quiz.pk}/statistics/"), "2fa-setup"),
    ("trainer", admin("courses/quiz/{w.quiz.pk}/try/"), "2fa-setup"),
    ("trainer", admin(""), "2fa-setup"),
    # The holder downloads their own certificate without a second factor.
    ("volunteer_a", lambda w: f"/certificates/{w.certificate.token}.pdf", "200"),
    ("volunteer_a", admin(""), "admin-login"),
]


def test_unverified_admin_sessions_are_sent_to_the_second_factor_first(world, settings):
    settings.ADMIN_2FA_REQUIRED = True
    differences = []
    for role, url, expected in TWO_FACTOR_CELLS:
        row = Row("two-factor", url, get=" ".join([expected] * len(ROLES)), post=" ".join(["-"] * len(ROLES)))
        got = outcome(request_cell(world, row, role, "GET"))
        if got != expected:
            differences.append(f"{role} GET {url(world)}: expected {expected}, got {got}")
    assert not differences, "\n".join(differences)


def test_staff_with_an_authenticator_app_give_its_code_before_opening_a_certificate_pdf(
    world, client, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = world.users["staff"]
    TOTPDevice.objects.create(user=staff, name="authenticator app", confirmed=True)
    client.force_login(staff)
    assert outcome(client.get(f"/certificates/{world.certificate.token}.pdf")) == "2fa"


def test_an_unverified_admin_session_does_not_read_lessons_without_enrolling(world, client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    client.force_login(world.users["trainer"])
    assert "Lesson text" not in client.get(world.lesson.url).content.decode()
    settings.ADMIN_2FA_REQUIRED = False
    assert "Lesson text" in client.get(world.lesson.url).content.decode()


def test_record_actions_posted_without_permission_change_nothing(world, client):
    from courses.models import Enrollment
    from volunteers.models import VolunteerProfile

    client.force_login(world.users["trainer"])
    enrolments = Enrollment.objects.count()
    for action, data in (
        ("register", {"override_reason": "because"}),
        ("mark_inactive", {}),
        ("erase", {}),
        ("enrol_in_course", {"course": world.course.pk}),
    ):
        client.post(bulk(action)(world), data)
    profile = VolunteerProfile.objects.get(pk=world.a.pk)
    assert profile.status == VolunteerProfile.Status.APPLICANT
    assert profile.erased_at is None and profile.given_name_en == "Alphaname"
    assert Enrollment.objects.count() == enrolments


# --- CSRF: a state-changing POST without the token is refused, whoever sends it -----------------
CSRF_POSTS = [
    ("anonymous", lambda w: "/accounts/login/"),
    ("anonymous", lambda w: "/accounts/signup/"),
    ("anonymous", lambda w: "/accounts/password-reset/"),
    ("volunteer_a", lambda w: "/accounts/profile/"),
    ("volunteer_a", lambda w: "/accounts/profile/erase/"),
    ("volunteer_a", lambda w: f"/learn/lessons/{w.lesson.pk}/done/"),
    ("volunteer_a", lambda w: f"/learn/certificates/{w.certificate.token}/visibility/"),
    ("volunteer_a", lambda w: "/learn/notifications/read-all/"),
    ("volunteer_a", lambda w: f"/learn/notifications/{w.notification.pk}/read/"),
    ("volunteer_a", lambda w: "/learn/notifications/preferences/"),
    ("volunteer_a", lambda w: w.quiz.url),
    ("volunteer_a", lambda w: f"/learn/evaluations/{w.evaluated.pk}/"),
    ("staff", admin("volunteers/import/")),
    ("trainer", admin("courses/quiz/{w.quiz.pk}/try/")),
    ("staff", admin("certificates/issued/{w.certificate.pk}/revoke/")),
    ("staff", admin("volunteers/people/edit/{w.a.pk}/")),
    ("staff", admin("tasks/failed/{w.failed_task.pk}/send-again/")),
    ("staff", admin("mail/{w.undelivered_mail.pk}/send-again/")),
    ("staff", admin("mail/suppressed/{w.suppressed_address.pk}/allow/")),
    ("volunteer_a", lambda w: "/learn/calendar/"),
    ("volunteer_a", lambda w: "/learn/sync/"),
    ("volunteer_a", lambda w: f"/organisation/{w.organization.pk}/requests/{w.b.pk}/confirm/"),
    ("staff", admin("volunteers/organisations/{w.organization.pk}/leaders/")),
]


def test_posts_without_the_csrf_token_are_refused(world):
    accepted = []
    for role, url in CSRF_POSTS:
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.post(url(world), {"reason": "x", "hidden": "1", "action": "start"})
        if response.status_code != 403:
            accepted.append(f"{role} POST {url(world)}: {response.status_code}")
    assert not accepted, "\n".join(accepted)
