"""Abuse limits: login lockout, verification misses and password-reset requests per address.

Each limit stops the abuse and leaves legitimate use alone: another account or address, or the
same one after the window.
"""

import time

import pytest
from django.core import mail
from django.core.cache import cache

from certificates.services import certificate_issue
from tests.factories import PASSWORD, make_course_tree, make_user, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def login(client, email, password, address="198.51.100.1"):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


# The windows below are either an hour, which no test outlasts however loaded the machine, or a
# second that a test waits out in real time (on the scale-out stack Redis expires keys by its own
# clock). A slow machine can only let a one-second count lapse sooner, which those tests accept too:
# they never depend on how fast requests are served.


def test_an_account_is_locked_after_repeated_failures_but_others_get_in(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 3600
    target, other = make_user(), make_user()
    for _attempt in range(3):
        assert login(client, target.email, "wrong-password").status_code == 200
    assert login(client, target.email, PASSWORD).status_code == 429  # locked even with the right one
    assert login(client, other.email, PASSWORD).status_code == 302  # another account from the same place
    client.logout()
    assert login(client, target.email, PASSWORD, address="203.0.113.9").status_code == 302  # elsewhere


def test_a_locked_account_gets_in_after_the_window(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 1
    target = make_user()
    for _attempt in range(3):
        assert login(client, target.email, "wrong-password").status_code == 200
    time.sleep(1.2)
    assert login(client, target.email, PASSWORD).status_code == 302


def test_an_address_that_keeps_failing_is_throttled_for_every_account(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    accounts = [make_user() for _ in range(5)]
    for account in accounts[:4]:
        login(client, account.email, "wrong-password")
    assert login(client, accounts[4].email, PASSWORD).status_code == 429
    assert login(client, accounts[4].email, PASSWORD, address="203.0.113.10").status_code == 302


def test_verification_misses_are_throttled_per_address_and_legitimate_checks_go_on(client):
    import certificates.views

    course, _module, _lesson = make_course_tree()
    certificate = certificate_issue(volunteer=make_volunteer().user, course=course)
    for number in range(certificates.views.VERIFY_MISSES_PER_MINUTE):
        assert client.get(f"/verify/NOPE{number:04d}/", REMOTE_ADDR="198.51.100.2").status_code == 404
    throttled = client.get(f"/verify/{certificate.token}/", REMOTE_ADDR="198.51.100.2")
    assert throttled.status_code == 429 and throttled["Retry-After"] == "60"
    assert client.get(f"/verify/{certificate.token}.json", REMOTE_ADDR="198.51.100.2").status_code == 429
    # Another address is not affected, and a hit is never counted as a miss.
    for _check in range(certificates.views.VERIFY_MISSES_PER_MINUTE + 5):
        assert client.get(f"/verify/{certificate.token}/", REMOTE_ADDR="198.51.100.3").status_code == 200


def test_the_miss_window_starts_at_the_first_miss_and_then_ends(client, monkeypatch):
    """Counted from the first miss, not per clock minute: a burst across a minute's turn is still one
    window (the clock-minute count once let a test's 31st miss through at hh:mm:00)."""
    import certificates.views

    monkeypatch.setattr(certificates.views, "VERIFY_MISSES_PER_MINUTE", 2)
    monkeypatch.setattr(certificates.views, "VERIFY_MISS_WINDOW_SECONDS", 3)
    certificate = certificate_issue(volunteer=make_volunteer().user, course=make_course_tree()[0])
    started = time.monotonic()
    assert client.get("/verify/NOPE0001/", REMOTE_ADDR="198.51.100.5").status_code == 404
    assert client.get("/verify/NOPE0002/", REMOTE_ADDR="198.51.100.5").status_code == 404
    throttled = client.get(f"/verify/{certificate.token}/", REMOTE_ADDR="198.51.100.5")
    if time.monotonic() - started < 3:  # (on a machine slow enough to take 3 s, the window ended)
        assert throttled.status_code == 429 and throttled["Retry-After"] == "3"
    time.sleep(max(0.0, 3.2 - (time.monotonic() - started)))
    assert client.get(f"/verify/{certificate.token}/", REMOTE_ADDR="198.51.100.5").status_code == 200


def reset(client, email, address="198.51.100.4"):
    return client.post("/en/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_email_address_without_revealing_accounts(client, settings):
    settings.ACCOUNT_MAILS_PER_EMAIL = 2
    settings.ACCOUNT_MAIL_WINDOW = 3600
    known = make_user(email="known.reset@example.org")
    answers = [reset(client, known.email) for _ in range(4)]
    answers += [reset(client, "nobody.reset@example.org") for _ in range(4)]
    # Every answer is the same redirect to "check your email", known or not, limited or not.
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, "/en/accounts/password-reset/sent/")
    }
    assert [message.to for message in mail.outbox] == [[known.email]] * 2
    # Another person's reset from the same address still goes out.
    other = make_user(email="other.reset@example.org")
    reset(client, other.email)
    assert mail.outbox[-1].to == [other.email]


def test_a_limited_email_address_gets_its_reset_after_the_window(client, settings):
    settings.ACCOUNT_MAILS_PER_EMAIL = 2
    settings.ACCOUNT_MAIL_WINDOW = 1
    known = make_user(email="known.reset@example.org")
    reset(client, known.email)
    reset(client, known.email)
    time.sleep(1.2)
    reset(client, known.email)
    assert [message.to for message in mail.outbox] == [[known.email]] * 3


def test_password_reset_requests_are_limited_per_client_address(client, settings):
    settings.ACCOUNT_MAILS_PER_CLIENT = 3
    people = [make_user() for _ in range(5)]
    for person in people:
        assert reset(client, person.email, address="198.51.100.5").status_code == 302
    assert len(mail.outbox) == 3
    reset(client, people[4].email, address="198.51.100.6")
    assert mail.outbox[-1].to == [people[4].email]
