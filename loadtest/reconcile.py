"""After a load run: does the database hold exactly what the clients were told was saved?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from loadtest.client import Ledger
from loadtest.dataset import Plan


@dataclass
class Tally:
    """Acknowledged against stored rows of one kind."""

    name: str
    acknowledged: int
    stored: int
    missing: int  # acknowledged, not stored: a lost write
    unacknowledged: int  # stored, never acknowledged
    duplicates: int  # rows beyond one per key

    @property
    def exact(self) -> bool:
        return self.missing == 0 and self.unacknowledged == 0 and self.duplicates == 0


def _tally(name: str, acknowledged: set, stored_keys: list) -> Tally:
    stored = set(stored_keys)
    return Tally(
        name=name,
        acknowledged=len(acknowledged),
        stored=len(stored_keys),
        missing=len(acknowledged - stored),
        unacknowledged=len(stored - acknowledged),
        duplicates=len(stored_keys) - len(stored),
    )


def reconcile(plan: Plan, ledger: Ledger) -> list[Tally]:
    """Compare the ledger with the rows of the plan's volunteers (Django must be set up)."""
    from certificates.models import Certificate
    from courses.models import LessonProgress, QuizAttempt

    emails = plan.emails
    progress = list(
        LessonProgress.objects.filter(volunteer__email__in=emails).values_list(
            "volunteer__email", "lesson_id"
        )
    )
    attempts = QuizAttempt.objects.filter(volunteer__email__in=emails)
    graded = [
        str(token)
        for token in attempts.filter(state=QuizAttempt.State.FINISHED, score__isnull=False).values_list(
            "token", flat=True
        )
    ]
    # An attempt left half-way (started, never graded) is a partial write when its submission was
    # acknowledged, and an unacknowledged row otherwise; both show in the tally.
    partial = [
        str(t) for t in attempts.exclude(state=QuizAttempt.State.FINISHED).values_list("token", flat=True)
    ]
    certificates = list(
        Certificate.objects.filter(volunteer__email__in=emails).values_list(
            "token", "volunteer_id", "course_id"
        )
    )
    per_course = Counter((volunteer, course) for _token, volunteer, course in certificates)
    certificate_tally = _tally("certificates", ledger.certificates, [token for token, _v, _c in certificates])
    certificate_tally.duplicates += sum(count - 1 for count in per_course.values())
    return [
        _tally("progress marks", ledger.progress, progress),
        _tally("quiz attempts", ledger.attempts, graded + partial),
        certificate_tally,
    ]


def summary(ledger: Ledger, tallies: list[Tally], *, seconds: float, wall: float, volunteers: int) -> str:
    """`seconds`: how long new journeys were started; `wall`: until the last one had finished."""
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(ledger.statuses.items()))
    lines = [
        f"Load test: {volunteers} volunteers starting journeys for {seconds:.0f} s; "
        f"{ledger.journeys} journeys, the last finished after {wall:.0f} s",
        f"Requests: {ledger.requests} ({ledger.requests / max(wall, 0.001):.1f}/s), "
        f"p50 {ledger.percentile(0.5) * 1000:.0f} ms, p95 {ledger.percentile(0.95) * 1000:.0f} ms",
        f"By status: {statuses}",
        f"Server errors (5xx): {ledger.server_errors}; connection errors: {ledger.transport_errors}; "
        f"unexpected answers: {len(ledger.anomalies)}",
        "",
        f"{'write':<16} {'acknowledged':>12} {'stored':>8} {'missing':>8} {'unacked':>8} {'dupes':>6}",
    ]
    for t in tallies:
        lines.append(
            f"{t.name:<16} {t.acknowledged:>12} {t.stored:>8} {t.missing:>8} "
            f"{t.unacknowledged:>8} {t.duplicates:>6}"
        )
    for anomaly in Counter(ledger.anomalies).most_common(10):
        lines.append(f"  unexpected: {anomaly[0]} (x{anomaly[1]})")
    return "\n".join(lines)


def passed(ledger: Ledger, tallies: list[Tally]) -> bool:
    """No 5xx, no unexpected answers, and exactly the acknowledged rows stored."""
    return ledger.server_errors == 0 and not ledger.anomalies and all(t.exact for t in tallies)
