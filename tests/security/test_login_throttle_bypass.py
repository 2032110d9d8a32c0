"""Login throttle bypasses: another spelling of a locked address, and many addresses on one account.

Django's login form normalises the typed address with NFKC and the account lookup ignores case, so
`trainer@example.org` with a fullwidth "t" (U+FF54) signs in to trainer@example.org. The throttle must count
every spelling against the one account, and limit an account's failures from all addresses together.
"""

import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN_PATHS = ["/accounts/login/", "/en/accounts/login/", "/admin/login/"]
FULLWIDTH_T = "\uff54"  # FULLWIDTH LATIN SMALL LETTER T, which NFKC turns into "t"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, path, username, password, address="198.51.100.20"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_a_locked_account_stays_locked_under_a_fullwidth_spelling(client, settings, path):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 3600
    make_user(email="trainer@example.org", group="Trainers")
    for _attempt in range(3):
        assert login(client, path, "trainer@example.org", "wrong-password").status_code == 200
    assert login(client, path, "trainer@example.org", PASSWORD).status_code == 429
    # The same account, typed in fullwidth letters, in capitals, or with a fullwidth "@".
    for spelling in (f"{FULLWIDTH_T}rainer@example.org", "TRAINER@EXAMPLE.ORG", "trainer\uff20example.org"):
        answer = login(client, path, spelling, PASSWORD)
        assert answer.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_spellings_of_one_address_share_one_budget(client, settings, path):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 3600
    make_user(email="trainer@example.org", group="Trainers")
    spellings = [
        f"{FULLWIDTH_T}rainer@example.org",
        "Trainer@Example.org",
        f"{FULLWIDTH_T.upper()}RAINER@example.org",
    ]
    for spelling in spellings:
        assert login(client, path, spelling, "wrong-password").status_code == 200
    assert login(client, path, "trainer@example.org", PASSWORD).status_code == 429


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_an_account_has_a_ceiling_across_all_client_addresses(client, settings, path):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURES_PER_ACCOUNT = 6
    settings.LOGIN_FAILURE_WINDOW = 3600
    target = make_user(email="staff.target@example.org", group="Staff")
    # Two guesses from each of three addresses: under the per-address limit everywhere.
    for number in range(3):
        for _attempt in range(2):
            answer = login(client, path, target.email, "wrong-password", address=f"203.0.113.{number + 1}")
            assert answer.status_code == 200
    answer = login(client, path, target.email, PASSWORD, address="203.0.113.99")
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from a fresh address is not affected.
    other = make_user()
    assert login(client, path, other.email, PASSWORD, address="203.0.113.100").status_code == 302


def test_unknown_addresses_are_counted_by_their_normalised_spelling(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_WINDOW = 3600
    for spelling in ("nobody@example.org", f"nobody@example.or{chr(0xFF47)}"):  # fullwidth "g"
        assert login(client, "/accounts/login/", spelling, "wrong-password").status_code == 200
    assert login(client, "/accounts/login/", "NOBODY@example.org", "anything").status_code == 429


def test_a_success_clears_only_its_own_address_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    settings.LOGIN_FAILURE_WINDOW = 3600
    target = make_user()
    for number in range(3):
        login(client, "/accounts/login/", target.email, "wrong-password", address=f"203.0.113.{number + 1}")
    assert login(client, "/accounts/login/", target.email, PASSWORD, address="192.0.2.1").status_code == 302
    client.logout()
    # The owner's success does not hand the attacker a fresh ceiling.
    login(client, "/accounts/login/", target.email, "wrong-password", address="203.0.113.50")
    assert login(client, "/accounts/login/", target.email, PASSWORD, address="192.0.2.1").status_code == 429


def test_setting_a_new_password_from_the_mailed_link_lifts_the_ceiling(client, settings):
    from volunteers.tokens import password_set_path_args

    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    settings.LOGIN_FAILURE_WINDOW = 3600
    target = make_user()
    for number in range(4):
        login(client, "/accounts/login/", target.email, "wrong-password", address=f"203.0.113.{number + 1}")
    assert login(client, "/accounts/login/", target.email, PASSWORD, address="192.0.2.1").status_code == 429
    args = password_set_path_args(target)
    form = client.get(f"/en/accounts/reset/{args['uidb64']}/{args['token']}/", follow=True).redirect_chain[
        -1
    ][0]
    new = "a-brand-new-pass-phrase-2026"
    assert client.post(form, {"new_password1": new, "new_password2": new}).status_code == 302
    assert login(client, "/accounts/login/", target.email, new, address="192.0.2.1").status_code == 302
