import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from volunteers.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_twice_leaves_the_same_rows(demo):
    first = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert row_counts() == first


def test_seed_demo_prints_working_demo_logins(demo, client, capsys):
    # Over the demo (which the `demo` fixture seeded from empty with this same command), so the run
    # is the quick idempotent one; what it prints and the logins are the same either way.
    call_command("seed_demo")
    output = capsys.readouterr().out
    for email in ("volunteer@example.org", "trainer@example.org", "staff@example.org"):
        assert email in output
        assert client.login(email=email, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in output
    # The volunteers whose records show an expiring and an expired certificate sign in too.
    for email, what in (
        ("prasert.no@example.org", "certificate expiring"),
        ("wichai.se@example.org", "certificate expired"),
    ):
        assert f"{email}  (volunteer, {what})" in output
        assert client.login(email=email, password=DEMO_PASSWORD)


def test_the_demo_trainer_can_open_the_admin(demo, client):
    client.login(email="trainer@example.org", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_seed_demo_gives_the_home_page_an_english_translation(demo, client):
    assert "ยินดีต้อนรับ" in client.get("/").content.decode()
    assert "Welcome to the online training" in client.get("/en/").content.decode()


@override_settings(DEMO_DATA_ALLOWED=False)
def test_seed_demo_refuses_when_demo_data_is_not_allowed():
    with pytest.raises(CommandError):
        call_command("seed_demo")
