"""Two-step verification (TOTP) for everyone who can open the admin: setup, sign-in codes, throttling."""

import re
from base64 import b32encode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from tests.factories import PASSWORD, make_user, make_volunteer
from volunteers.services import user_data_export, volunteer_erase
from volunteers.two_factor import WRONG_CODE_MESSAGE

pytestmark = pytest.mark.django_db

ROLES = ["Trainers", "Staff", "superuser"]


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


def make_admin_user(role: str):
    if role == "superuser":
        return make_user(is_superuser=True, is_staff=True)
    return make_user(group=role)


def in_either_language(message) -> set[str]:
    """The message as the admin shows it, in English or in Thai."""
    texts = set()
    for language in ("en", "th"):
        with translation.override(language):
            texts.add(str(message))
    return texts


def code_error(response) -> str:
    [error] = response.context["form"].errors["code"]
    assert error in response.content.decode()
    return error


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` time steps from now)."""
    drift = device.drift + steps_ahead
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    accepted = {code_for(device, steps) for steps in (-1, 0, 1, 2)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 999999, 7919)) if code not in accepted)


def admin_login(client, user):
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password step should succeed"
    return response


def mailed_code(user) -> str:
    """The code in the newest mail to the person's address."""
    message = [message for message in mail.outbox if user.email in message.to][-1]
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def prove_mailbox(client, user) -> None:
    """The step before a first app: have a code mailed to the account's address and enter it."""
    response = client.post("/admin/two-step/setup/", {"action": "send"})
    assert response.status_code == 302
    response = client.post("/admin/two-step/setup/", {"code": mailed_code(user)})
    assert response.status_code == 302


def set_up_device(client, user) -> TOTPDevice:
    """Go through the setup page as the person would, confirming with the code the app shows."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        prove_mailbox(client, user)
    assert client.get("/admin/two-step/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/two-step/setup/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/two-step/recovery-codes/"
    device.refresh_from_db()
    assert device.confirmed
    return device


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


@pytest.mark.parametrize("role", ROLES)
def test_when_required_someone_with_admin_access_is_sent_to_set_up_an_app_after_the_password(
    client, required, role
):
    user = make_admin_user(role)
    admin_login(client, user)
    for path in ["/admin/", "/admin/pages/", "/admin/account/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/two-step/setup/?next=")
    assert client.get("/admin/two-step/setup/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_confirming_the_app_with_its_code_verifies_the_session_and_opens_the_admin(client, required, role):
    user = make_admin_user(role)
    admin_login(client, user)
    prove_mailbox(client, user)
    client.get("/admin/two-step/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/two-step/setup/", {"code": code_for(device), "next": "/admin/account/"})
    # First the recovery codes, then on to where the person was going.
    assert response.status_code == 302 and response["Location"] == "/admin/two-step/recovery-codes/"
    assert 'href="/admin/account/"' in client.get(response["Location"]).content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert ModelLogEntry.objects.filter(action="volunteers.two_factor_on", user=user).exists()


def test_the_setup_page_shows_a_qr_code_and_the_key_in_groups_for_typing(client, required):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    prove_mailbox(client, user)
    page = client.get("/admin/two-step/setup/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r"<svg[^>]*class=\"two-factor-qr\"", page)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert shown.replace(" ", "") == secret and all(len(group) == 4 for group in shown.split(" "))
    # A reload shows the same key: the person may have scanned it already.
    client.get("/admin/two-step/setup/")
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_a_later_sign_in_asks_for_the_code_and_the_right_code_opens_the_admin(client, required, role):
    user = make_admin_user(role)
    admin_login(client, user)
    device = set_up_device(client, user)
    client.post("/admin/logout/")

    admin_login(client, user)
    response = client.get("/admin/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/two-step/verify/?next=")
    assert client.get(response["Location"]).status_code == 200
    # The code the app shows next (the one used for setup cannot be used twice).
    next_code = code_for(device, 1)
    response = client.post("/admin/two-step/verify/", {"code": next_code, "next": "/admin/account/"})
    assert response.status_code == 302 and response["Location"] == "/admin/account/"
    assert client.get("/admin/account/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_wrong_code_is_refused_with_a_clear_message_and_the_admin_stays_closed(client, required, role):
    user = make_admin_user(role)
    device = confirmed_device(user)
    admin_login(client, user)
    response = client.post("/admin/two-step/verify/", {"code": wrong_code_for(device)})
    assert response.status_code == 400
    assert code_error(response) in in_either_language(WRONG_CODE_MESSAGE)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/two-step/verify/" in response["Location"]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_wrong_codes_are_throttled_so_even_the_right_code_waits(client, required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    user = make_admin_user("Trainers")
    device = confirmed_device(user)
    admin_login(client, user)
    client.post("/admin/two-step/verify/", {"code": wrong_code_for(device)})
    response = client.post("/admin/two-step/verify/", {"code": code_for(device)})
    assert response.status_code == 429
    assert re.search(r"\b(59|60)\b", code_error(response))
    assert client.get("/admin/").status_code == 302


def test_codes_that_are_not_six_digits_are_refused_without_counting_as_a_guess(client, required):
    user = make_admin_user("Staff")
    device = confirmed_device(user)
    admin_login(client, user)
    for code in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦"]:
        assert client.post("/admin/two-step/verify/", {"code": code}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    # The code as apps show it, in two groups of three, is accepted.
    code = code_for(device)
    assert client.post("/admin/two-step/verify/", {"code": f"{code[:3]} {code[3:]}"}).status_code == 302


def test_signing_in_on_the_public_login_page_then_opening_the_admin_asks_for_the_code(client):
    user = make_admin_user("Trainers")
    confirmed_device(user)
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 200  # public pages are not held up
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/two-step/verify/?next=%2Fadmin%2F"


def test_a_volunteer_without_admin_access_is_never_asked_for_a_code(client, required):
    profile = make_volunteer()
    confirmed_device(profile.user)  # even with a device of their own
    client.post("/accounts/login/", {"username": profile.user.email, "password": PASSWORD})
    assert client.get("/accounts/profile/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_someone_given_admin_access_after_signing_in_is_asked_too(client, required):
    user = make_user()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    user.groups.add(Group.objects.get(name="Trainers"))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-step/setup/")


def test_when_not_required_a_trainer_without_an_app_gets_straight_in(client, settings):
    settings.ADMIN_2FA_REQUIRED = False
    user = make_admin_user("Trainers")
    admin_login(client, user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/two-step/verify/").status_code == 302  # nothing to verify


def test_when_not_required_someone_who_set_up_an_app_must_still_use_it(client, settings):
    settings.ADMIN_2FA_REQUIRED = False
    user = make_admin_user("Staff")
    admin_login(client, user)
    assert client.get("/admin/two-step/").status_code == 200
    set_up_device(client, user)
    assert client.get("/admin/").status_code == 200  # this session gave its code
    client.post("/admin/logout/")
    admin_login(client, user)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/two-step/verify/" in response["Location"]


def test_the_password_alone_cannot_replace_the_app(client, required):
    user = make_admin_user("Trainers")
    confirmed_device(user)
    admin_login(client, user)
    for method in (client.get, client.post):
        response = method("/admin/two-step/setup/", {"code": "123456"})
        assert response.status_code == 302 and "/admin/two-step/verify/" in response["Location"]
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_verified_person_replaces_the_app_and_the_old_one_stops_working(client, required):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    old = set_up_device(client, user)
    new = set_up_device(client, user)
    assert new.pk != old.pk
    assert list(TOTPDevice.objects.filter(user=user)) == [new]


def test_two_step_verification_can_be_turned_off_only_when_not_required(client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    user = make_admin_user("Trainers")
    admin_login(client, user)
    set_up_device(client, user)
    client.post("/admin/two-step/")
    assert TOTPDevice.objects.filter(user=user).exists()

    settings.ADMIN_2FA_REQUIRED = False
    page = client.get("/admin/two-step/").content.decode()
    assert 'action="/admin/two-step/"' in page
    assert client.post("/admin/two-step/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert ModelLogEntry.objects.filter(action="volunteers.two_factor_off", user=user).exists()


def test_the_admin_offers_two_step_verification_in_the_account_page_and_settings_menu(client):
    user = make_admin_user("Trainers")
    admin_login(client, user)
    assert "/admin/two-step/" in client.get("/admin/account/").content.decode()
    assert "/admin/two-step/" in client.get("/admin/").content.decode()


def test_the_verify_and_setup_pages_need_admin_access(client, required):
    assert client.get("/admin/two-step/verify/")["Location"].startswith("/admin/login/")
    profile = make_volunteer()
    client.post("/accounts/login/", {"username": profile.user.email, "password": PASSWORD})
    for path in ["/admin/two-step/", "/admin/two-step/verify/", "/admin/two-step/setup/"]:
        assert client.get(path)["Location"].startswith("/admin/login/")
    assert not TOTPDevice.objects.exists()


def test_the_next_address_after_the_code_stays_on_this_site(client, required):
    user = make_admin_user("Trainers")
    device = confirmed_device(user)
    admin_login(client, user)
    response = client.post(
        "/admin/two-step/verify/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_the_data_export_says_a_device_exists_but_never_its_secret(required):
    user = make_admin_user("Trainers")
    device = confirmed_device(user)
    exported = user_data_export(user=user)["data"]["two_factor"]
    assert exported["authenticator_apps"][0]["confirmed"] is True
    text = str(exported)
    assert device.key not in text and b32encode(device.bin_key).decode().rstrip("=") not in text


def test_erasure_deletes_the_persons_devices_and_their_address_from_the_audit_log():
    from volunteers.services import two_factor_device_confirm, two_factor_device_start

    profile = make_volunteer(email="erase.me@example.org")
    device = two_factor_device_start(user=profile.user)
    assert two_factor_device_confirm(device=device, code=code_for(device))
    logged = ModelLogEntry.objects.filter(action="volunteers.two_factor_on", label__contains="erase.me")
    assert logged.exists()
    volunteer_erase(user=profile.user, actor=make_user(group="Staff"))
    assert not TOTPDevice.objects.filter(user=profile.user).exists()
    assert not ModelLogEntry.objects.filter(label__contains="erase.me").exists()


def test_the_reset_command_removes_a_persons_devices_for_a_lost_phone(capsys):
    user = make_admin_user("Staff")
    confirmed_device(user)
    call_command("two_factor_reset", user.email)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert ModelLogEntry.objects.filter(action="volunteers.two_factor_off").exists()


def test_the_reset_command_refuses_an_unknown_address():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("two_factor_reset", "nobody@example.org")


def test_public_pages_cost_a_volunteer_no_more_queries_when_two_step_is_required(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = make_volunteer()
    client.post("/accounts/login/", {"username": profile.user.email, "password": PASSWORD})
    client.get("/")
    counts = []
    for required_now in (False, True):
        settings.ADMIN_2FA_REQUIRED = required_now
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_demo_accounts_have_no_device_after_seed_demo(demo):
    trainer = get_user_model().objects.get(email="trainer@example.org")
    confirmed_device(trainer)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not TOTPDevice.objects.exists()


def is_refused(response) -> bool:
    """Wagtail answers a refused admin permission with a redirect to the dashboard and a message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def verified_login(client, user) -> None:
    """Sign in to the admin and give the code, as someone who has an app set up already."""
    device = confirmed_device(user)
    admin_login(client, user)
    assert client.post("/admin/two-step/verify/", {"code": code_for(device)}).status_code == 302


def test_a_superuser_resets_the_app_of_someone_who_lost_their_phone(client, required):
    admin = make_admin_user("superuser")
    trainer = make_admin_user("Trainers")
    confirmed_device(trainer)
    verified_login(client, admin)
    url = f"/admin/two-step/reset/{trainer.pk}/"
    assert url in client.get("/admin/users/").content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=trainer).exists()
    assert ModelLogEntry.objects.filter(action="volunteers.two_factor_off", user=admin).exists()

    client.post("/admin/logout/")
    admin_login(client, trainer)
    assert client.get("/admin/")["Location"].startswith("/admin/two-step/setup/")


@pytest.mark.parametrize("role", ["Trainers", "Staff"])
def test_trainers_and_staff_cannot_reset_someone_elses_app(client, required, role):
    actor = make_admin_user(role)
    other = make_admin_user("Trainers")
    confirmed_device(other)
    verified_login(client, actor)
    url = f"/admin/two-step/reset/{other.pk}/"
    for method in (client.get, client.post):
        assert is_refused(method(url))
    assert TOTPDevice.objects.filter(user=other).exists()


def test_someone_who_may_edit_users_cannot_reset_a_superusers_app(client, required):
    from django.contrib.auth.models import Permission

    actor = make_admin_user("Staff")
    change_user = Permission.objects.get(codename="change_user", content_type__app_label="volunteers")
    actor.user_permissions.add(change_user)
    admin = make_admin_user("superuser")
    confirmed_device(admin)
    trainer = make_admin_user("Trainers")
    confirmed_device(trainer)
    verified_login(client, actor)
    assert is_refused(client.post(f"/admin/two-step/reset/{admin.pk}/"))
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert client.post(f"/admin/two-step/reset/{trainer.pk}/").status_code == 302
    assert not TOTPDevice.objects.filter(user=trainer).exists()


def test_check_deploy_warns_when_two_step_verification_is_not_required(settings):
    from django.core.checks import run_checks

    settings.ADMIN_2FA_REQUIRED = False
    assert "volunteers.W001" in {message.id for message in run_checks(include_deployment_checks=True)}
    settings.ADMIN_2FA_REQUIRED = True
    assert "volunteers.W001" not in {message.id for message in run_checks(include_deployment_checks=True)}


def test_two_step_verification_is_required_in_production_and_optional_in_tests():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    assert settings.ADMIN_2FA_REQUIRED is False
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.ADMIN_2FA_REQUIRED)",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **{k: v for k, v in os.environ.items() if k not in {"ADMIN_2FA_REQUIRED", "DATABASE_URL"}},
            "DJANGO_SETTINGS_MODULE": "training.settings.production",
            "SECRET_KEY": "s" * 50,
            "CERTIFICATE_SIGNING_KEY": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == "True", result.stderr
