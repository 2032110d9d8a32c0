"""The short form of `make loadtest`: volunteers doing the mixed journey against gunicorn on the
scale-out stack get no 5xx, and the database holds exactly the writes they saw acknowledged."""

import pytest

from loadtest.client import run_load
from loadtest.dataset import seed
from loadtest.reconcile import passed, reconcile, summary
from tests.training.live_gunicorn import live_gunicorn

pytestmark = [pytest.mark.scaleout, pytest.mark.exclusive, pytest.mark.django_db(transaction=True)]


def test_thirty_volunteers_for_ten_seconds_lose_nothing_and_see_no_server_error(tmp_path):
    # One lesson per course, so even a volunteer who signs in late reaches the quiz and the
    # certificate in its one journey on a busy machine.
    plan = seed(volunteers=30, courses=2, lessons=1, form_logins=5)
    with live_gunicorn(tmp_path) as (base, _server):
        ledger, wall = run_load(base=base, plan=plan, volunteers=30, seconds=10, ramp_seconds=3)
    tallies = reconcile(plan, ledger)
    report = summary(ledger, tallies, seconds=10, wall=wall, volunteers=30)
    print(report)
    assert passed(ledger, tallies), report
    by_name = {tally.name: tally for tally in tallies}
    # The run really wrote each kind of row, so the exact-match check had rows to compare.
    assert by_name["progress marks"].acknowledged > 0, report
    assert by_name["quiz attempts"].acknowledged > 0, report
    assert by_name["certificates"].acknowledged > 0, report
