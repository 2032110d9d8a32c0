"""Application logs hold no personal data: every record of a run through the main flows is read, and
no email address, name or phone number of the people in it appears."""

import json
import logging

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_course_tree, make_privacy_notice, make_user, make_volunteer
from tests.log_lines import json_log_lines

pytestmark = pytest.mark.django_db

IMPORTED = {
    "email": "imported.person@example.org",
    "given_name_th": "นำเข้า",
    "family_name_th": "ข้อมูลส่วนตัว",
    "given_name_en": "Importedgiven",
    "family_name_en": "Importedfamily",
    "phone": "+66811112222",
}
VOLUNTEER = {
    "email": "logged.volunteer@example.org",
    "given_name_th": "บันทึก",
    "family_name_th": "ไม่ควรเห็น",
    "given_name_en": "Loggedgiven",
    "family_name_en": "Loggedfamily",
    "phone": "+4798765432",
}
SIGN_UP_EMAIL = "new.signup@example.org"
UNKNOWN_EMAIL = "nobody.here@example.org"


def run_flows(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_privacy_notice(version=1)
    course, _module, lesson = make_course_tree(title="Logged course")
    email = VOLUNTEER.pop("email")
    volunteer = make_volunteer(email=email, **VOLUNTEER)
    VOLUNTEER["email"] = email

    # Sign-up, a failed login and a lockout, password resets for a known and an unknown address.
    client.post(
        "/accounts/signup/",
        {
            "email": SIGN_UP_EMAIL,
            "password1": "a-Long-passw0rd!",
            "password2": "a-Long-passw0rd!",
            "consent": "on",
        },
    )
    client.logout()
    for _attempt in range(3):
        client.post("/accounts/login/", {"username": email, "password": "wrong"})
    client.post("/accounts/login/", {"username": UNKNOWN_EMAIL, "password": "wrong"})
    for address in (email, UNKNOWN_EMAIL, email, email, email):
        client.post("/accounts/password-reset/", {"email": address})
    cache.clear()

    # Learning to a certificate, then the holder's own pages and PDF.
    client.force_login(volunteer.user)
    client.post(f"/learn/courses/{course.pk}/enrol/")
    client.post(f"/learn/lessons/{lesson.pk}/done/")
    client.get("/learn/certificates/")
    client.get("/accounts/profile/my-data.json")

    # Staff: import, manual certificate issue, the verify tool, exports of the register and a report.
    staff = make_user(group="Staff")
    client.force_login(staff)
    header = ",".join(IMPORTED) + "\n"
    rows = ",".join(IMPORTED.values()) + "\n" + "not-an-email,ก,ข,,,+66\n"
    client.post(
        "/admin/volunteers/import/", {"file": SimpleUploadedFile("people.csv", (header + rows).encode())}
    )
    other_course, _m, _l = make_course_tree(title="Manual course")
    # The imported person confirms their address (certificates go only to a confirmed one).
    from volunteers.models import User
    from volunteers.services import email_confirm

    email_confirm(user=User.objects.get(email=IMPORTED["email"]))
    client.post(
        "/admin/certificates/issued/issue/",
        {"email": IMPORTED["email"], "course": other_course.pk, "reason": "Completed on paper"},
    )
    client.post("/admin/certificates/issued/verify/", {"code": "NO-SUCH-CODE"})
    for url in ("/admin/volunteers/people/?export=csv", "/admin/reports/completions/?export=csv"):
        response = client.get(url)
        b"".join(response.streaming_content) if response.streaming else response.content
    client.get("/verify/NO-SUCH-TOKEN/")


def test_no_log_record_of_the_main_flows_holds_personal_data(client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.LOG_REQUESTS = True  # as in production: a line for each request
    with json_log_lines() as lines:
        run_flows(client, settings)
        written = lines()
    from certificates.models import Certificate
    from volunteers.models import User

    # The flows really ran: a sign-up, an import, a completion and a manual issue.
    assert User.objects.filter(email__in=[SIGN_UP_EMAIL, IMPORTED["email"]]).count() == 2
    assert Certificate.objects.count() == 2
    personal = [*IMPORTED.values(), *VOLUNTEER.values(), SIGN_UP_EMAIL, UNKNOWN_EMAIL]
    handler = logging.Formatter()
    leaks = []
    for record in caplog.records:
        text = handler.format(record)
        leaks += [f"{record.name}: {text[:200]!r} holds {value!r}" for value in personal if value in text]
    assert caplog.records  # something was logged, and read
    assert not leaks, "\n".join(leaks)

    # The same records as production's JSON lines: each request's id and person, nothing personal.
    requests = [line for line in written if line["logger"] == "training.requests"]
    assert len(requests) >= 20 and all(line["request_id"] for line in requests)
    assert {line["user_id"] for line in requests if "user_id" in line} >= {staff_id(), volunteer_id()}
    texts = [json.dumps(line, ensure_ascii=False) for line in written]
    leaks = [text for text in texts for value in personal if value in text]
    assert not leaks, "\n".join(leaks)


def staff_id() -> int:
    from volunteers.models import User

    return User.objects.get(groups__name="Staff").pk


def volunteer_id() -> int:
    from volunteers.models import User

    return User.objects.get(email=VOLUNTEER["email"]).pk
