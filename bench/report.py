"""The benchmark's results and the table `make bench` prints and writes to bench/results/."""

from dataclasses import dataclass, field


@dataclass
class Result:
    scenario: str
    metric: str
    value: float
    baseline: float | None
    ratio: float | None
    target: float | None
    goal: float | None
    passed: bool
    better: str = "higher"  # which way the target bounds the value
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    note: str = ""
    rounds: list = field(default_factory=list)
    # CPU per request of the server's processes (gunicorn's workers; PostgreSQL's and Redis's on --pg),
    # for the scenario and for the baseline in the same rounds: a heavier baseline cannot lift a ratio
    # unseen. None for scenarios not measured that way.
    cpu_ms: float | None = None
    baseline_cpu_ms: float | None = None


def bound(value: float | None, better: str) -> str:
    if value is None:
        return "info"
    return f"≤ {value}" if better == "lower" else f"≥ {value}"


def dash(value) -> str:
    return "—" if value is None else str(value)


COLUMNS = [
    "scenario", "metric", "value", "baseline", "ratio", "server CPU ms/req (baseline)", "target", "goal",
    "p95 ms", "errors", "result",
]  # fmt: skip


def cpu_cell(result: Result) -> str:
    if result.cpu_ms is None:
        return "—"
    return f"{result.cpu_ms} ({dash(result.baseline_cpu_ms)})"


def report(results: list[Result], facts: dict) -> str:
    lines = [
        f"# Benchmark {facts['date']} — size {facts['size']}, {facts['database']}",
        "",
        f"{facts['cores']} cores, Python {facts['python']}, {facts['database']}, {facts['server']}; "
        f"load: {facts['load']}; {facts['rounds']} rounds of {facts['seconds_per_run']} s per throughput "
        f"scenario (medians, alternating with the baseline); {facts['think_time_seconds']} s per think-time "
        "scenario. Latency baselines are the bare view's p95 measured one request at a time. Server CPU "
        "is the user and system time of gunicorn's workers (and of PostgreSQL's and Redis's on --pg) "
        "over the requests served, medians of the rounds.",
        "",
        f"Commit {facts['commit'][:12]}"
        + (", tree clean." if facts["tree_clean"] else ", with uncommitted changes to tracked files."),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in results:
        cells = [r.scenario, r.metric, r.value, dash(r.baseline), dash(r.ratio), cpu_cell(r)]
        cells += [bound(r.target, r.better), bound(r.goal, r.better), dash(r.p95_ms), r.errors]
        cells.append("pass" if r.passed else "FAIL")
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    notes = [f"- {r.scenario}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "Notes:", "", *notes]
    return "\n".join(lines) + "\n"
