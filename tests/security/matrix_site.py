"""The authorization matrix's rows for the public site: machine-readable and public endpoints,
accounts, a volunteer's learning and certificates, and the Wagtail pages. See test_authorization_matrix.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse

ROLES = ("anonymous", "volunteer_a", "volunteer_b", "trainer", "staff", "superuser")
# Country coordinators: one for the country of the world's volunteers and organisations (Norway),
# one for another country. Both answer as staff do, unless a row says otherwise in `here` or
# `elsewhere` ("GET POST"): a coordinator elsewhere gets 404 on anything of Norway.
COORDINATOR_ROLES = ("coordinator_here", "coordinator_elsewhere")
# Wagtail serves a document from local storage itself, and redirects to the file on S3.
DOCUMENT = "200" if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage") else "302"
OUR_APPS = ("volunteers", "courses", "certificates", "training", "notifications")


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable[[SimpleNamespace], str]
    get: str
    post: str
    data: dict = field(default_factory=dict)
    # The page shows its holder's name as printed to whoever has the link (the public verification).
    by_link: bool = False
    here: str = ""
    elsewhere: str = ""

    def expected(self, method: str, role: str) -> str:
        if role in COORDINATOR_ROLES:
            own = self.here if role == "coordinator_here" else self.elsewhere
            if own:
                return own.split()[0 if method == "GET" else 1]
            role = "staff"
        outcomes = (self.get if method == "GET" else self.post).split()
        assert len(outcomes) == len(ROLES), self
        return outcomes[ROLES.index(role)]


def admin(path: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: "/admin/" + path.format(w=w)


def bulk(action: str) -> Callable[[SimpleNamespace], str]:
    return lambda w: (
        reverse("wagtail_bulk_action", args=["volunteers", "volunteerprofile", action]) + (f"?id={w.a.pk}")
    )


#                                anonymous   A       B       trainer  staff  superuser
SITE_ROWS = [
    # --- Machine-readable and public endpoints ---------------------------------------------------
    Row("healthz", lambda w: "/healthz", get="200 200 200 200 200 200", post="405 405 405 405 405 405"),
    # Prometheus metrics: only for METRICS_TOKEN, never for a session (tests/training/test_observability.py).
    Row("metrics", lambda w: "/metrics", get="404 404 404 404 404 404", post="405 405 405 405 405 405"),
    # The installable app (training/pwa.py): the same answer for everyone, nothing personal in it.
    Row("service_worker", lambda w: "/sw.js", get="200 200 200 200 200 200", post="405 405 405 405 405 405"),
    Row("favicon", lambda w: "/favicon.ico", get="302 302 302 302 302 302", post="405 405 405 405 405 405"),
    Row(
        "manifest",
        lambda w: "/manifest.webmanifest",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
    ),
    Row("offline", lambda w: "/offline/", get="200 200 200 200 200 200", post="405 405 405 405 405 405"),
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
        "account_signup_sent",  # "check your email": the same page for everyone, nothing personal
        lambda w: "/accounts/signup/sent/",
        get="200 200 200 200 200 200",
        post="405 405 405 405 405 405",
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
        "notification_list",
        lambda w: "/learn/notifications/",
        get="login 200 200 200 200 200",
        post="login 405 405 405 405 405",
    ),
    Row(
        "notifications_read_all",
        lambda w: "/learn/notifications/read-all/",
        get="login 405 405 405 405 405",
        post="login 302 302 302 302 302",
    ),
    Row(
        "notification_read",
        lambda w: f"/learn/notifications/{w.notification.pk}/read/",
        get="login 405 405 405 405 405",
        post="login 302 404 404 404 404",
    ),
    Row(
        "notification_preferences",
        lambda w: "/learn/notifications/preferences/",
        get="login 200 200 200 200 200",
        post="login 302 302 302 302 302",
    ),
    # The one-click unsubscribe of a reminder mail: the signed link is the key, whoever holds it (no
    # sign-in; the mail provider's RFC 8058 POST carries no session and no CSRF token). It can only
    # turn A's reminders off. A changed token is refused with a 400.
    Row(
        "notification_unsubscribe",
        lambda w: f"/learn/notifications/unsubscribe/{w.unsubscribe_token}/",
        get="200 200 200 200 200 200",
        post="200 200 200 200 200 200",
        data={"List-Unsubscribe": "One-Click"},
    ),
    Row(
        "notification_unsubscribe",
        lambda w: f"/learn/notifications/unsubscribe/{w.unsubscribe_token}x/",
        get="400 400 400 400 400 400",
        post="400 400 400 400 400 400",
        data={"List-Unsubscribe": "One-Click"},
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
    # The end-of-course evaluation: A has done the course's lesson (due; an empty POST is a 400 with
    # the form's errors), B has not (403); staff and trainers are not enrolled (403). A course that
    # asks for none is missing (404).
    Row(
        "evaluation_form",
        lambda w: f"/learn/evaluations/{w.evaluated.pk}/",
        get="login 200 403 403 403 403",
        post="login 400 403 403 403 403",
    ),
    Row(
        "evaluation_form",
        lambda w: f"/learn/evaluations/{w.course.pk}/",
        get="login 404 404 404 404 404",
        post="login 404 404 404 404 404",
    ),
    Row(
        "evaluation_form",
        lambda w: f"/learn/evaluations/{w.draft.pk}/",
        get="login 404 404 404 404 404",
        post="login 404 404 404 404 404",
    ),
    # Where a reminder leads: back to the reader's first step not done (the course page when none).
    Row(
        "learning_continue",
        lambda w: f"/learn/courses/{w.course.pk}/continue/",
        get="login 302 302 302 302 302",
        post="405 405 405 405 405 405",
    ),
    Row(
        "learning_continue",
        lambda w: f"/learn/courses/{w.draft.pk}/continue/",
        get="login 404 404 404 404 404",
        post="405 405 405 405 405 405",
    ),
    # What the offline app saves of a course (courses/learning/offline.py): JSON, 401 signed out,
    # only for readers enrolled in it (A and B); staff and trainers are not (403); a draft is missing.
    Row(
        "learning_course_offline",
        lambda w: f"/learn/courses/{w.course.pk}/offline/",
        get="401 200 200 403 403 403",
        post="405 405 405 405 405 405",
    ),
    Row(
        "learning_course_offline",
        lambda w: f"/learn/courses/{w.draft.pk}/offline/",
        get="401 404 404 404 404 404",
        post="405 405 405 405 405 405",
    ),
    Row(
        "learning_lesson_done",
        lambda w: f"/learn/lessons/{w.lesson.pk}/done/",
        get="405 405 405 405 405 405",
        post="login 302 302 302 302 302",
    ),
    # The offline app's queue (issue 24): JSON, never the sign-in page (401 signed out); a form
    # post is not the queue (400).
    Row(
        "learning_sync",
        lambda w: "/learn/sync/",
        get="401 200 200 200 200 200",
        post="401 400 400 400 400 400",
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
]
