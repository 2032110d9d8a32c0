"""The authorization matrix: every role against every URL, admin area and object, with GET and POST.

Each row names a URL pattern, builds its URL for the objects of the test world and gives the
expected outcome for the six roles, in the order of ROLES, for GET and for POST. Every request
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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail_localize.models import TranslationSource

from certificates.models import CertificateTemplate
from certificates.services import certificate_issue
from courses.models import HelpLine, QuizAttempt
from courses.services import course_enrol, lesson_complete
from tests.courses.quiz_helpers import RIGHT_POST, add_quiz
from tests.factories import (
    make_course_tree,
    make_document,
    make_organization,
    make_privacy_notice,
    make_user,
    make_volunteer,
)
from volunteers.tokens import email_confirmation_token, password_set_path_args

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "volunteer_a", "volunteer_b", "trainer", "staff", "superuser")
# Wagtail serves a document from local storage itself, and redirects to the file on S3.
DOCUMENT = "200" if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage") else "302"
OUR_APPS = ("volunteers", "courses", "certificates", "training")


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable[[SimpleNamespace], str]
    get: str
    post: str
    data: dict = field(default_factory=dict)
    # The page shows its holder's name as printed to whoever has the link (the public verification).
    by_link: bool = False

    def expected(self, method: str, role: str) -> str:
        outcomes = (self.get if method == "GET" else self.post).split()
        assert len(outcomes) == len(ROLES), self
        return outcomes[ROLES.index(role)]


def build_world() -> SimpleNamespace:
    make_privacy_notice(version=1)
    course, module, lesson = make_course_tree(title="Matrix course")
    quiz = add_quiz(module)
    draft, _draft_module, _draft_lesson = make_course_tree(title="Draft course", publish=False)
    a = make_volunteer(
        email="alpha.matrix@example.org",
        given_name_th="อัลฟา",
        family_name_th="ทดสอบเอ",
        given_name_en="Alphaname",
        family_name_en="Amatrix",
        phone="+4711111111",
    )
    b = make_volunteer(
        email="bravo.matrix@example.org",
        given_name_th="บราโว",
        family_name_th="ทดสอบบี",
        given_name_en="Bravoname",
        family_name_en="Bmatrix",
        phone="+4722222222",
    )
    for profile in (a, b):
        course_enrol(volunteer=profile.user, course=course)
    lesson_complete(volunteer=a.user, lesson=lesson)
    client = Client()
    client.force_login(a.user)
    token = str(uuid.uuid4())
    client.post(quiz.url, {"action": "start", "token": token})
    attempt = QuizAttempt.objects.get(token=token)
    client.post(quiz.url, {"action": "submit", "attempt": str(attempt.token), **RIGHT_POST})
    certificate = certificate_issue(volunteer=a.user, course=course)
    captions = make_document(title="Captions", filename="captions.vtt", content=b"WEBVTT\n")
    superuser = get_user_model().objects.create_superuser(email="root.matrix@example.org", password="x")
    users = {
        "anonymous": None,
        "volunteer_a": a.user,
        "volunteer_b": b.user,
        "trainer": make_user(group="Trainers"),
        "staff": make_user(group="Staff"),
        "superuser": superuser,
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
        quiz=quiz,
        draft=draft,
        certificate=certificate,
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
    )


def admin(path: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: "/admin/" + path.format(w=w)


def bulk(action: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: (
        reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action]) + (f"?id={w.a.pk}")
    )


#                                anonymous   A       B       trainer  staff  superuser
ROWS = [
    # --- Machine-readable and public endpoints ---------------------------------------------------
    Row("healthz", lambda w: "/healthz", get="200 200 200 200 200 200", post="405 405 405 405 405 405"),
    # Public lesson media from local storage (the app serves it only then; a bucket serves it when
    # scaled out): anyone may read it; nothing personal lives there.
    *(
        [
            Row(
                "public_media",
                lambda w: settings.MEDIA_URL + w.captions.file.name,
                get="200 200 200 200 200 200",
                post="405 405 405 405 405 405",
            )
        ]
        if settings.SERVE_MEDIA
        else []
    ),
    Row(
        "certificates_issuer",
        lambda w: "/certificates/issuer.json",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row(
        "certificates_status_list",
        lambda w: "/certificates/status/revocation.json",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row(
        "certificate_pdf",
        lambda w: f"/certificates/{w.certificate.token}.pdf",
        get="login 200 404 404 200 200",
        post="login 405 405 405 405 405",
    ),
    Row(
        "certificate_pdf",
        lambda w: "/certificates/NO-SUCH-TOKEN.pdf",
        get="login 404 404 404 404 404",
        post="login 405 405 405 405 405",
    ),
    Row(
        "certificate_verify_json",
        lambda w: f"/verify/{w.certificate.token}.json",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
        by_link=True,
    ),
    Row(
        "certificate_verify",
        lambda w: f"/verify/{w.certificate.token}/",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
        by_link=True,
    ),
    Row(
        "certificate_verify",
        lambda w: "/verify/NO-SUCH-TOKEN/",
        get="404 404 404 404 404 404",
        post="405 405 405 405 405 405",
    ),
    Row(
        "wagtaildocs_serve",
        lambda w: w.captions.url,
        get=" ".join([DOCUMENT] * len(ROLES)),
        post=" ".join([DOCUMENT] * len(ROLES)),
    ),
    Row(
        "wagtaildocs_authenticate_with_password",
        lambda w: "/documents/authenticate_with_password/999999/",
        get="404 404 404 404 404 404",
        post="404 404 404 404 404 404",
    ),
    Row(
        "courses:lesson_media",
        lambda w: f"/lesson-media/{w.captions.pk}/{w.captions.filename}",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row(
        "set_language",
        lambda w: "/i18n/setlang/",
        get="302 302 302 302 302 302",
        post="302 302 302 302 302 302",
        data={"language": "en"},
    ),
    # --- Accounts -------------------------------------------------------------------------------
    Row(
        "account_login",
        lambda w: "/accounts/login/",
        get="200 302 302 302 302 302",
        post="200 302 302 302 302 302",
    ),
    Row(
        "account_logout",
        lambda w: "/accounts/logout/",
        get="405 405 405 405 405 405",
        post="302 302 302 302 302 302",
    ),
    Row(
        "account_signup",
        lambda w: "/accounts/signup/",
        get="200 302 302 302 302 302",
        post="200 302 302 302 302 302",
    ),
    Row(
        "account_confirm_email",
        lambda w: f"/accounts/confirm/{w.confirm_token}/",
        get="200 200 200 200 200 200",
        post="login 302 302 302 302 302",
    ),
    Row(
        "account_confirm_email",
        lambda w: "/accounts/confirm/forged/",
        get="400 400 400 400 400 400",
        post="400 400 400 400 400 400",
    ),
    Row(
        "account_resend_confirmation",
        lambda w: "/accounts/confirm-again/",
        get="login 405 405 405 405 405",
        post="login 302 302 302 302 302",
    ),
    Row(
        "account_consent",
        lambda w: "/accounts/consent/",
        get="login 200 200 200 200 200",
        post="login 200 200 200 200 200",
    ),
    Row(
        "account_profile",
        lambda w: "/accounts/profile/",
        get="login 200 200 200 200 200",
        post="login 200 200 200 200 200",
    ),
    Row(
        "account_data_export",
        lambda w: "/accounts/profile/my-data.json",
        get="login 200 200 200 200 200",
        post="login 200 200 200 200 200",
    ),
    Row(
        "account_erasure_request",
        lambda w: "/accounts/profile/erase/",
        get="login 200 200 200 200 200",
        post="login 302 302 302 302 302",
    ),
    Row(
        "password_change",
        lambda w: "/accounts/password/",
        get="login 200 200 200 200 200",
        post="login 200 200 200 200 200",
    ),
    Row(
        "password_change_done",
        lambda w: "/accounts/password/done/",
        get="login 200 200 200 200 200",
        post="login 405 405 405 405 405",
    ),
    Row(
        "password_reset",
        lambda w: "/accounts/password-reset/",
        get="200 200 200 200 200 200",
        post="200 200 200 200 200 200",
    ),
    Row(
        "password_reset_done",
        lambda w: "/accounts/password-reset/sent/",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row(
        "password_reset_confirm",
        lambda w: reverse("password_reset_confirm", kwargs=w.reset),
        get="302 200 302 302 302 302",
        post="302 200 302 302 302 302",
    ),
    Row(
        "password_reset_complete",
        lambda w: "/accounts/reset/done/",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    # --- Learning and certificates of the signed-in volunteer -----------------------------------
    Row(
        "my_certificates",
        lambda w: "/learn/certificates/",
        get="login 200 200 200 200 200",
        post="login 200 200 200 200 200",
    ),
    Row(
        "certificate_name_visibility",
        lambda w: f"/learn/certificates/{w.certificate.token}/visibility/",
        get="login 405 405 405 405 405",
        post="login 302 404 404 404 404",
        data={"hidden": "1"},
    ),
    Row(
        "learning_dashboard",
        lambda w: "/learn/",
        get="login 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row(
        "learning_enrol",
        lambda w: f"/learn/courses/{w.course.pk}/enrol/",
        get="405 405 405 405 405 405",
        post="login 302 302 302 302 302",
    ),
    Row(
        "learning_enrol",
        lambda w: f"/learn/courses/{w.draft.pk}/enrol/",
        get="405 405 405 405 405 405",
        post="404 404 404 404 404 404",
    ),
    Row(
        "learning_lesson_done",
        lambda w: f"/learn/lessons/{w.lesson.pk}/done/",
        get="405 405 405 405 405 405",
        post="login 302 302 302 302 302",
    ),
    Row(
        "wagtailcore_authenticate_with_password",
        lambda w: f"/_util/authenticate_with_password/999999/{w.course.pk}/",
        get="404 404 404 404 404 404",
        post="404 404 404 404 404 404",
    ),
    Row(
        "wagtailcore_login",
        lambda w: "/_util/login/",
        get="200 200 200 200 200 200",
        post="200 200 200 200 200 200",
    ),
    # --- Wagtail pages: home, course, lesson, quiz (and its attempt review), a draft -------------
    Row("wagtail_serve", lambda w: "/", get="200 200 200 200 200 200", post="200 200 200 200 200 200"),
    Row("wagtail_serve", lambda w: "/en/", get="200 200 200 200 200 200", post="200 200 200 200 200 200"),
    Row(
        "wagtail_serve", lambda w: w.course.url, get="200 200 200 200 200 200", post="200 200 200 200 200 200"
    ),
    Row(
        "wagtail_serve", lambda w: w.lesson.url, get="200 200 200 200 200 200", post="200 200 200 200 200 200"
    ),
    Row(
        "wagtail_serve",
        lambda w: w.quiz.url,
        get="200 200 200 200 200 200",
        post="login 400 400 400 400 400",
        data={"action": "start", "token": "not-a-uuid"},
    ),
    Row(
        "wagtail_serve",
        lambda w: w.quiz.url + "?attempt=1",
        get="200 200 200 200 200 200",
        post="login 400 400 400 400 400",
    ),
    Row(
        "wagtail_serve",
        lambda w: w.quiz.url,
        get="200 200 200 200 200 200",
        post="login 302 400 400 400 400",
        data={"action": "submit", "attempt": "{attempt}"},
    ),
    Row(
        "wagtail_serve",
        lambda w: w.draft.url or "/matrix-course-draft/",
        get="404 404 404 404 404 404",
        post="404 404 404 404 404 404",
    ),
    # --- Admin: the dashboard and two-step verification -----------------------------------------
    Row(
        "wagtailadmin_home",
        admin(""),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "two_factor",
        admin("two-step/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "two_factor_verify",
        admin("two-step/verify/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "two_factor_setup",
        admin("two-step/setup/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 400 400 400",
    ),
    Row(
        "two_factor_reset",
        admin("two-step/reset/{w.a.user.pk}/"),
        get="admin-login admin-login admin-login denied denied 200",
        post="admin-login admin-login admin-login denied denied 302",
    ),
    # --- Admin: volunteers, imports and record actions ------------------------------------------
    Row(
        "volunteers_import",
        admin("volunteers/import/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:list",
        admin("volunteers/people/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:list_results",
        admin("volunteers/people/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:list",
        admin("volunteers/people/?export=csv"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:add",
        admin("volunteers/people/add/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:edit",
        admin("volunteers/people/edit/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:delete",
        admin("volunteers/people/delete/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:usage",
        admin("volunteers/people/usage/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:history",
        admin("volunteers/people/history/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:history_results",
        admin("volunteers/people/history-results/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:copy",
        admin("volunteers/people/copy/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "wagtailsnippets_volunteers_volunteerprofile:inspect",
        admin("volunteers/people/inspect/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_volunteerprofile:choose",
        admin("snippets/choose/volunteers/volunteerprofile/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_volunteerprofile:choose_results",
        admin("snippets/choose/volunteers/volunteerprofile/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_volunteerprofile:chosen",
        admin("snippets/choose/volunteers/volunteerprofile/chosen/{w.a.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_volunteerprofile:chosen_multiple",
        lambda w: f"/admin/snippets/choose/volunteers/volunteerprofile/chosen-multiple/?id={w.a.pk}",
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_volunteerprofile:create",
        admin("snippets/choose/volunteers/volunteerprofile/create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "wagtail_bulk_action",
        bulk("register"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "wagtail_bulk_action",
        bulk("mark_inactive"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "wagtail_bulk_action",
        bulk("erase"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 302 302 302",
    ),
    Row(
        "wagtail_bulk_action",
        bulk("enrol_in_course"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 200 200 200",
    ),
    # --- Admin: organisations -------------------------------------------------------------------
    Row(
        "wagtailsnippets_volunteers_organization:list",
        admin("volunteers/organisations/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:list_results",
        admin("volunteers/organisations/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:add",
        admin("volunteers/organisations/add/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:edit",
        admin("volunteers/organisations/edit/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:delete",
        admin("volunteers/organisations/delete/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:usage",
        admin("volunteers/organisations/usage/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:history",
        admin("volunteers/organisations/history/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:history_results",
        admin("volunteers/organisations/history-results/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_volunteers_organization:copy",
        admin("volunteers/organisations/copy/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_organization:choose",
        admin("snippets/choose/volunteers/organization/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_organization:choose_results",
        admin("snippets/choose/volunteers/organization/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_organization:chosen",
        admin("snippets/choose/volunteers/organization/chosen/{w.organization.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_organization:chosen_multiple",
        lambda w: f"/admin/snippets/choose/volunteers/organization/chosen-multiple/?id={w.organization.pk}",
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_volunteers_organization:create",
        admin("snippets/choose/volunteers/organization/create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    # --- Admin: help lines ----------------------------------------------------------------------
    Row(
        "wagtailsnippets_courses_helpline:list",
        admin("snippets/courses/helpline/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_courses_helpline:list_results",
        admin("snippets/courses/helpline/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_courses_helpline:add",
        admin("snippets/courses/helpline/add/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippets_courses_helpline:edit",
        admin("snippets/courses/helpline/edit/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippets_courses_helpline:delete",
        admin("snippets/courses/helpline/delete/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 302 302",
    ),
    Row(
        "wagtailsnippets_courses_helpline:usage",
        admin("snippets/courses/helpline/usage/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_courses_helpline:history",
        admin("snippets/courses/helpline/history/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_courses_helpline:history_results",
        admin("snippets/courses/helpline/history-results/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippets_courses_helpline:copy",
        admin("snippets/courses/helpline/copy/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "wagtailsnippetchoosers_courses_helpline:choose",
        admin("snippets/choose/courses/helpline/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_helpline:choose_results",
        admin("snippets/choose/courses/helpline/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_helpline:chosen",
        admin("snippets/choose/courses/helpline/chosen/{w.helpline.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_helpline:chosen_multiple",
        lambda w: f"/admin/snippets/choose/courses/helpline/chosen-multiple/?id={w.helpline.pk}",
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "wagtailsnippetchoosers_courses_helpline:create",
        admin("snippets/choose/courses/helpline/create/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    # --- Admin: enrolment, reports and exports, quiz statistics ---------------------------------
    Row(
        "courses_enrol_csv",
        admin("courses/enrol/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",
    ),
    Row(
        "courses_report_completions",
        admin("reports/completions/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_completions",
        admin("reports/completions/?export=csv"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_completions_results",
        admin("reports/completions/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_progress",
        admin("reports/progress/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_progress",
        admin("reports/progress/?export=xlsx"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_progress_results",
        admin("reports/progress/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "courses_report_quiz_results",
        admin("reports/quiz-results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_report_quiz_results",
        admin("reports/quiz-results/?export=csv"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    Row(
        "courses_report_quiz_results_results",
        admin("reports/quiz-results/results/"),
        get="admin-login admin-login admin-login 200 200 200",
        post="admin-login admin-login admin-login 405 405 405",
    ),
    # wagtail-localize's translate view, answered by ours: edit rights on the source page count.
    Row(
        "courses_submit_page_translation",
        admin("localize/submit/page/{w.course.pk}/"),
        get="admin-login admin-login admin-login 200 denied 200",
        post="admin-login admin-login admin-login 200 denied 200",
    ),
    Row(
        "courses_submit_page_translation",
        lambda w: f"/admin/localize/submit/page/{w.course.get_parent().get_parent().pk}/",
        get="admin-login admin-login admin-login denied denied 200",
        post="admin-login admin-login admin-login denied denied 200",
    ),
    Row(
        "courses_update_translations",
        admin("localize/update/{w.translation_source.pk}/"),
        get="admin-login admin-login admin-login 200 denied 200",
        post="admin-login admin-login admin-login 302 denied 302",
    ),
    Row(
        "courses_quiz_statistics",
        admin("courses/quiz/{w.quiz.pk}/statistics/"),
        get="admin-login admin-login admin-login 200 denied 200",
        post="admin-login admin-login admin-login 200 denied 200",
    ),
    Row(
        "courses_quiz_statistics_export",
        admin("courses/quiz/{w.quiz.pk}/statistics.xlsx"),
        get="admin-login admin-login admin-login 200 denied 200",
        post="admin-login admin-login admin-login 200 denied 200",
    ),
    # Trying a quiz records nothing; only those who may edit the quiz try it (staff may not: 403).
    Row(
        "courses_quiz_try",
        admin("courses/quiz/{w.quiz.pk}/try/"),
        get="admin-login admin-login admin-login 200 403 200",
        post="admin-login admin-login admin-login 400 403 400",
    ),
    Row(
        "courses_quiz_try",
        admin("courses/quiz/{w.quiz.pk}/try/"),
        get="admin-login admin-login admin-login 200 403 200",
        post="admin-login admin-login admin-login 200 403 200",
        data={"action": "submit", "seed": "7", "revision": ""},
    ),
    Row(
        "courses_quiz_try",
        admin("courses/quiz/{w.course.pk}/try/"),
        get="admin-login admin-login admin-login 404 404 404",
        post="admin-login admin-login admin-login 404 404 404",
    ),
    # --- Admin: certificates, the verify tool, templates ----------------------------------------
    Row(
        "certificate_admin:index",
        admin("certificates/issued/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_admin:index_results",
        admin("certificates/issued/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_admin:add",
        admin("certificates/issued/new/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:edit",
        admin("certificates/issued/edit/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:delete",
        admin("certificates/issued/delete/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:history",
        admin("certificates/issued/history/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:history_results",
        admin("certificates/issued/history-results/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:usage",
        admin("certificates/issued/usage/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied denied denied",
        post="admin-login admin-login admin-login denied denied denied",
    ),
    Row(
        "certificate_admin:inspect",
        admin("certificates/issued/inspect/{w.certificate.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_admin:revoke",
        admin("certificates/issued/{w.certificate.pk}/revoke/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_admin:reissue",
        admin("certificates/issued/{w.certificate.pk}/reissue/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_admin:manual_issue",
        admin("certificates/issued/issue/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_admin:verify_tool",
        admin("certificates/issued/verify/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 400 400",  # an empty form is refused
    ),
    Row(
        "certificate_templates:index",
        admin("certificates/templates/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:index_results",
        admin("certificates/templates/results/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:add",
        admin("certificates/templates/new/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_templates:edit",
        admin("certificates/templates/edit/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
    Row(
        "certificate_templates:delete",
        admin("certificates/templates/delete/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied denied 200",
        post="admin-login admin-login admin-login denied denied 302",
    ),
    Row(
        "certificate_templates:history",
        admin("certificates/templates/history/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:history_results",
        admin("certificates/templates/history-results/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:usage",
        admin("certificates/templates/usage/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 405 405",
    ),
    Row(
        "certificate_templates:copy",
        admin("certificates/templates/copy/{w.template.pk}/"),
        get="admin-login admin-login admin-login denied 200 200",
        post="admin-login admin-login admin-login denied 200 200",
    ),
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


def request_cell(world, row: Row, role: str, method: str):
    cache.clear()  # throttles and cached pages start afresh in every cell
    client = Client(raise_request_exception=False)
    with transaction.atomic():
        if world.users[role] is not None:
            client.force_login(world.users[role])
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


@pytest.mark.parametrize("role", ROLES)
def test_every_cell_of_the_matrix_has_its_expected_outcome(role):
    world = build_world()
    others = {"volunteer_a": markers(world.b), "volunteer_b": [*markers(world.a), world.certificate.serial]}
    differences, leaks, observed = [], [], []
    for row in ROWS:
        cells = []
        for method in ("GET", "POST"):
            response = request_cell(world, row, role, method)
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


def test_unverified_admin_sessions_are_sent_to_the_second_factor_first(settings):
    settings.ADMIN_2FA_REQUIRED = True
    world = build_world()
    differences = []
    for role, url, expected in TWO_FACTOR_CELLS:
        row = Row("two-factor", url, get=" ".join([expected] * len(ROLES)), post=" ".join(["-"] * len(ROLES)))
        got = outcome(request_cell(world, row, role, "GET"))
        if got != expected:
            differences.append(f"{role} GET {url(world)}: expected {expected}, got {got}")
    assert not differences, "\n".join(differences)


def test_staff_with_an_authenticator_app_give_its_code_before_opening_a_certificate_pdf(client, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    world = build_world()
    staff = world.users["staff"]
    TOTPDevice.objects.create(user=staff, name="authenticator app", confirmed=True)
    client.force_login(staff)
    assert outcome(client.get(f"/certificates/{world.certificate.token}.pdf")) == "2fa"


def test_an_unverified_admin_session_does_not_read_lessons_without_enrolling(client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    world = build_world()
    client.force_login(world.users["trainer"])
    assert "Lesson text" not in client.get(world.lesson.url).content.decode()
    settings.ADMIN_2FA_REQUIRED = False
    assert "Lesson text" in client.get(world.lesson.url).content.decode()


def test_record_actions_posted_without_permission_change_nothing(client):
    from courses.models import Enrollment
    from volunteers.models import VolunteerProfile

    world = build_world()
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
    ("volunteer_a", lambda w: w.quiz.url),
    ("staff", admin("volunteers/import/")),
    ("trainer", admin("courses/quiz/{w.quiz.pk}/try/")),
    ("staff", admin("certificates/issued/{w.certificate.pk}/revoke/")),
    ("staff", admin("volunteers/people/edit/{w.a.pk}/")),
]


def test_posts_without_the_csrf_token_are_refused():
    world = build_world()
    accepted = []
    for role, url in CSRF_POSTS:
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.post(url(world), {"reason": "x", "hidden": "1", "action": "start"})
        if response.status_code != 403:
            accepted.append(f"{role} POST {url(world)}: {response.status_code}")
    assert not accepted, "\n".join(accepted)
