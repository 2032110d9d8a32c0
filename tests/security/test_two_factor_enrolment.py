"""Setting up a first authenticator app needs more than the password: a code mailed to the account's
address. Setup gives recovery codes, each of which signs in once instead of the app's code."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.users.models import UserProfile

from tests.volunteers.test_two_factor import (
    admin_login,
    in_either_language,
    mailed_code,
    make_admin_user,
    prove_mailbox,
    set_up_device,
)
from volunteers import services
from volunteers.recovery_codes import recovery_code_digest
from volunteers.services import two_factor_devices_remove, user_data_export
from volunteers.two_factor import MAILBOX_CODE_SESSION, WRONG_RECOVERY_CODE_MESSAGE

pytestmark = pytest.mark.django_db

SETUP = "/admin/two-step/setup/"
RECOVERY = "/admin/two-step/recovery-codes/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.ADMIN_2FA_REQUIRED = True
    cache.clear()
    yield
    cache.clear()


def code_error(response) -> str:
    [error] = response.context["form"].errors["code"]
    return error


def shows_secret(response) -> bool:
    """Whether the page shows the app's QR code or its key."""
    text = response.content.decode()
    return bool(re.search(r'<svg[^>]*class="two-factor-qr"', text)) or 'id="two-factor-secret"' in text


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


# --- The attack: a stolen password alone ----------------------------------------------------------


def test_a_session_that_knows_only_the_password_gets_no_secret_and_cannot_enrol_an_app(client):
    user = make_admin_user("Staff")
    admin_login(client, user)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert not shows_secret(page) and "otpauth" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Guessing at the app's code enrols nothing either.
    for code in ("123456", "000000"):
        assert client.post(SETUP, {"code": code}).status_code == 400
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_the_code_goes_only_to_the_accounts_own_address_and_the_session_keeps_no_copy(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    assert client.post(SETUP, {"action": "send", "email": "thief@example.org"}).status_code == 302
    [message] = mail.outbox
    assert message.to == [user.email]
    code = mailed_code(user)
    assert code not in str(dict(client.session.items()))
    assert not shows_secret(client.get(SETUP))


# --- The mailed code ------------------------------------------------------------------------------


def test_the_right_mailed_code_leads_to_the_qr_code(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    page = client.get(SETUP)
    assert 'name="code"' in page.content.decode() and not shows_secret(page)
    response = client.post(SETUP, {"code": mailed_code(user), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == SETUP + "?next=%2Fadmin%2Fpages%2F"
    assert shows_secret(client.get(SETUP))


def test_a_wrong_mailed_code_is_refused_with_a_clear_message(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    response = client.post(SETUP, {"code": other_code(mailed_code(user))})
    assert response.status_code == 400
    assert "not right" in code_error(response) or "ไม่ถูกต้อง" in code_error(response)
    assert code_error(response) in response.content.decode()
    assert not shows_secret(client.get(SETUP))
    # Not six digits: a clear message too, never a 500.
    for code in ("", "12345", "abcdefgh", "١٢٣٤٥٦"):
        assert client.post(SETUP, {"code": code}).status_code == 400


def test_after_five_wrong_tries_even_the_right_mailed_code_is_void(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    code = mailed_code(user)
    for _try in range(5):
        assert client.post(SETUP, {"code": other_code(code)}).status_code == 400
    response = client.post(SETUP, {"code": code})
    assert response.status_code == 400
    assert not shows_secret(client.get(SETUP))
    # A new code works.
    prove_mailbox(client, user)
    assert shows_secret(client.get(SETUP))


def test_four_wrong_tries_still_leave_the_right_code_working(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    code = mailed_code(user)
    for _try in range(4):
        assert client.post(SETUP, {"code": other_code(code)}).status_code == 400
    assert client.post(SETUP, {"code": code}).status_code == 302


def test_an_expired_mailed_code_is_refused(client, monkeypatch):
    monkeypatch.setattr(services, "TWO_FACTOR_MAILBOX_CODE_SECONDS", -1)
    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    response = client.post(SETUP, {"code": mailed_code(user)})
    assert response.status_code == 400
    assert "expired" in code_error(response) or "หมดอายุ" in code_error(response)
    assert MAILBOX_CODE_SESSION not in client.session


def test_a_mailed_code_works_only_in_the_session_that_asked_for_it(client):
    from django.test import Client

    user = make_admin_user("Trainers")
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    other = Client()
    admin_login(other, user)
    assert other.post(SETUP, {"code": mailed_code(user)}).status_code == 400


def test_over_the_mail_limit_no_code_is_sent_and_the_person_is_told(client, settings):
    settings.ACCOUNT_MAILS_PER_EMAIL = 2
    user = make_admin_user("Trainers")
    admin_login(client, user)
    assert client.post(SETUP, {"action": "send"}).status_code == 302
    assert client.post(SETUP, {"action": "send"}).status_code == 302
    response = client.post(SETUP, {"action": "send"})
    assert response.status_code == 429
    assert response.context["send_error"] in response.content.decode()
    message = "We have sent several codes already. Please look in your inbox, or try again later."
    translated = set()
    for language in ("en", "th"):
        with translation.override(language):
            translated.add(translation.gettext(message))
    assert response.context["send_error"] in translated
    assert len(mail.outbox) == 2


def test_the_mail_is_in_the_persons_admin_language(client):
    user = make_admin_user("Trainers")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "th"
    profile.save()
    admin_login(client, user)
    client.post(SETUP, {"action": "send"})
    with translation.override("th"):
        subject = translation.gettext("Your code for setting up two-step verification")
    assert subject != "Your code for setting up two-step verification"
    assert mail.outbox[-1].subject == subject


def test_the_mailbox_proof_is_spent_once_the_app_is_confirmed(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    two_factor_devices_remove(user=user, actor=user)
    # The same session, its app removed: a new first app needs a new mailed code.
    assert not shows_secret(client.get(SETUP))


def test_replacing_the_app_of_a_verified_session_needs_no_mail(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    sent = len(mail.outbox)
    assert shows_secret(client.get(SETUP))
    assert len(mail.outbox) == sent


# --- Recovery codes -------------------------------------------------------------------------------


def recovery_codes_shown(client) -> list[str]:
    page = client.get(RECOVERY)
    assert page.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())


def test_setup_gives_ten_recovery_codes_shown_once(client):
    user = make_admin_user("Staff")
    admin_login(client, user)
    set_up_device(client, user)
    codes = recovery_codes_shown(client)
    assert len(set(codes)) == 10
    # Stored only as keyed digests: the table never holds a code someone could sign in with.
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == {recovery_code_digest(code) for code in codes}
    assert not stored & set(codes)
    # Shown once: the session no longer has them.
    response = client.get(RECOVERY)
    assert response.status_code == 302 and response["Location"] == "/admin/two-step/"
    assert not any(code in str(dict(client.session.items())) for code in codes)


def test_each_recovery_code_signs_in_once_instead_of_the_apps_code(client, settings):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    first, second = recovery_codes_shown(client)[:2]
    client.post("/admin/logout/")

    admin_login(client, user)
    # As people type it: capitals and a space.
    response = client.post("/admin/two-step/verify/", {"code": f"{first[:4].upper()} {first[4:].upper()}"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert "9" in client.get("/admin/two-step/").content.decode()
    client.post("/admin/logout/")

    admin_login(client, user)
    response = client.post("/admin/two-step/verify/", {"code": first})
    assert response.status_code == 400
    assert code_error(response) in in_either_language(WRONG_RECOVERY_CODE_MESSAGE)
    assert client.get("/admin/").status_code == 302
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # no wait after the wrong try (tested below)
    assert client.post("/admin/two-step/verify/", {"code": second}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_the_manage_page_says_how_many_recovery_codes_are_left(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    StaticToken.objects.filter(device__user=user).first().delete()
    with translation.override("en"):
        page = client.get("/admin/two-step/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    left = re.search(r'id="two-factor-recovery-left">(.*?)</p>', page, re.S).group(1)
    assert "9" in left


def test_wrong_recovery_codes_are_throttled(client, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    [code, *_rest] = recovery_codes_shown(client)
    client.post("/admin/logout/")
    admin_login(client, user)
    assert client.post("/admin/two-step/verify/", {"code": "aaaaaaaa"}).status_code == 400
    assert client.post("/admin/two-step/verify/", {"code": code}).status_code == 429


def test_setup_takes_only_the_apps_code_not_a_recovery_code(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    prove_mailbox(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"code": "abcdefgh"}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and not device.confirmed


def test_a_new_app_brings_new_recovery_codes_and_the_old_ones_stop_working(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    old = recovery_codes_shown(client)
    set_up_device(client, user)
    new = recovery_codes_shown(client)
    assert not set(old) & set(new)
    assert StaticDevice.objects.filter(user=user).count() == 1
    client.post("/admin/logout/")
    admin_login(client, user)
    assert client.post("/admin/two-step/verify/", {"code": old[0]}).status_code == 400


def test_removing_two_step_verification_removes_the_recovery_codes_too(client, settings):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    settings.ADMIN_2FA_REQUIRED = False
    assert client.post("/admin/two-step/").status_code == 302
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_the_data_export_counts_the_recovery_codes_but_never_shows_them(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    codes = recovery_codes_shown(client)
    exported = user_data_export(user=user)["data"]["two_factor"]
    assert exported["recovery_codes"][0]["codes_left"] == 10
    assert not any(code in str(exported) for code in codes)


def test_recovery_codes_stored_in_plain_before_are_digested_and_still_sign_in(client, settings):
    """Codes issued before digests kept working through the migration that digests them."""
    import importlib

    from django.apps import apps

    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    first = recovery_codes_shown(client)[0]
    # As the platform stored them before: the plain code.
    token = StaticToken.objects.filter(device__user=user).first()
    StaticToken.objects.filter(device__user=user).exclude(pk=token.pk).delete()
    token.token = first
    token.save()
    migration = importlib.import_module("volunteers.migrations.0007_recovery_code_digests")
    migration.digest_plain_recovery_codes(apps)
    migration.digest_plain_recovery_codes(apps)  # again: nothing changes
    token.refresh_from_db()
    assert token.token == recovery_code_digest(first)
    client.post("/admin/logout/")
    admin_login(client, user)
    assert client.post("/admin/two-step/verify/", {"code": first}).status_code == 302
