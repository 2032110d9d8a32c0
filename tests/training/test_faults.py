"""Faults on the scale-out stack, with gunicorn serving real clients: PostgreSQL restarted during a
burst of quiz submissions, the S3 server stopped while certificates are issued, Redis stopped."""

import threading
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from certificates.models import Certificate
from courses.models import QuizAttempt
from loadtest.client import Volunteer, run_load
from loadtest.dataset import seed
from loadtest.reconcile import reconcile
from tests.training.live_gunicorn import live_gunicorn, service, worker_pids

pytestmark = [pytest.mark.scaleout, pytest.mark.exclusive, pytest.mark.django_db(transaction=True)]


def wait_for(condition, *, seconds: float, step: float = 0.5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {seconds} s")
        time.sleep(step)


def graded_attempts(since=None) -> int:
    try:
        graded = QuizAttempt.objects.filter(state=QuizAttempt.State.FINISHED)
        return (graded.filter(finished_at__gt=since) if since else graded).count()
    finally:
        connections.close_all()


def test_a_database_restart_during_quiz_submissions_gives_503s_and_loses_or_doubles_nothing(tmp_path):
    plan = seed(volunteers=20, courses=1, lessons_done=True)
    result = {}
    stop = threading.Event()
    with live_gunicorn(tmp_path) as (base, server):
        workers = worker_pids(server)

        def burst():
            result["ledger"], _wall = run_load(
                base=base, plan=plan, volunteers=20, seconds=300, quiz_only=True, stop=stop
            )

        load = threading.Thread(target=burst)
        load.start()
        try:
            wait_for(lambda: graded_attempts() >= 10, seconds=180)
            try:
                service("stop-pg")
                time.sleep(6)
            finally:
                service("start-pg")
            restarted_at = timezone.now()
            # Submissions resume on the same workers once the database is back.
            wait_for(lambda: graded_attempts(since=restarted_at) >= 10, seconds=120)
        finally:
            stop.set()
            load.join()
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # noqa: S310 (loopback)
            assert response.status == 200
        # Recovered without a restart: the same gunicorn workers answer.
        assert server.poll() is None and worker_pids(server) == workers
    connections.close_all()
    ledger = result["ledger"]
    failures = {status: count for status, count in ledger.statuses.items() if status >= 500}
    assert set(failures) == {503}, ledger.statuses  # the outage was seen, and only as 503
    assert ledger.retry_after_missing == 0
    assert ledger.anomalies == []
    attempts = {tally.name: tally for tally in reconcile(plan, ledger)}["quiz attempts"]
    # Every acknowledged submission is stored graded, none twice, none half-way.
    assert (attempts.missing, attempts.unacknowledged, attempts.duplicates) == (0, 0, 0), attempts
    assert QuizAttempt.objects.exclude(state=QuizAttempt.State.FINISHED).count() == 0


def test_certificates_are_issued_while_s3_is_down_and_their_pdfs_stored_once_it_is_back(tmp_path):
    plan = seed(volunteers=4, courses=1, lessons_done=True)
    with live_gunicorn(tmp_path) as (base, _server):
        service("stop-s3")
        try:
            ledger, _wall = run_load(base=base, plan=plan, volunteers=4, seconds=8, quiz_only=True)
            assert ledger.server_errors == 0 and ledger.anomalies == [], ledger
            certificates = {tally.name: tally for tally in reconcile(plan, ledger)}["certificates"]
            assert certificates.acknowledged > 0 and certificates.exact, certificates
            issued = list(Certificate.objects.all())
            assert {c.status for c in issued} == {Certificate.Status.VALID}
            assert [c.pdf.name for c in issued] == [""] * len(issued)  # nothing could be stored
            for certificate in issued:  # verification reads the database and the signature only
                with urllib.request.urlopen(f"{base}/verify/{certificate.token}/", timeout=30) as page:  # noqa: S310
                    assert page.status == 200
                    assert "This certificate is valid" in page.read().decode()
        finally:
            service("start-s3")
    call_command("certificates_render_pending")
    stored = list(Certificate.objects.all())
    assert all(c.pdf.name and len(c.pdf_sha256) == 64 for c in stored)
    for certificate in stored:
        with certificate.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"


def test_with_redis_stopped_pages_render_and_signed_in_volunteers_stay_signed_in(tmp_path):
    plan = seed(volunteers=2, courses=1)
    with live_gunicorn(tmp_path) as (base, _server):
        far = time.monotonic() + 120
        signed_in = Volunteer(
            base=base, plan=plan, email=plan.emails[0], deadline=far, retry_until=far, seed=1
        )
        signed_in.log_in()  # the session is written to Redis and to the database
        service("stop-redis")
        try:
            course = plan.courses[0]
            for path in ("/", "/en/", course.url, "/learn/"):
                assert signed_in.request("page", "GET", path).status_code == 200, path
            # Still signed in: the dashboard and a write work without signing in again.
            signed_in.mark_done(course, *course.lessons[0])
            # Signing in works too.
            newcomer = Volunteer(
                base=base, plan=plan, email=plan.emails[1], deadline=far, retry_until=far, seed=2
            )
            newcomer.log_in()
            assert newcomer.request("dashboard", "GET", "/learn/").status_code == 200
        finally:
            service("start-redis")
        assert signed_in.request("dashboard", "GET", "/learn/").status_code == 200
    assert signed_in.ledger.anomalies == [] and signed_in.ledger.server_errors == 0
    assert reconcile(plan, signed_in.ledger)[0].exact
