"""Throughput scenarios: wrk against one page or a rotation of pages and volunteers, alternating with
the bare baseline view, with the server's CPU per request measured beside each ratio.

Signed-in scenarios rotate over 500 signed-in learners and over pages in different states
(the course page: a course half done, one not started, one completed), so no cache of one person's
page can stand in for the work: each request is a (page, session) pair from a list, taken in turn.
"""

import json
import os
import re
import resource
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

from report import Result

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


@dataclass
class Scenario:
    name: str
    path: str  # formatted with the sessions' values; unused when `rotation` names the pages
    target: float | None  # a throughput ratio; None: measured for information
    goal: float | None
    target_pg: float | None = None  # when PostgreSQL's differs (round trips cost both processes CPU)
    rotation: str | None = None  # "courses", "lessons", "dashboard": pages x signed-in learners

    def target_for(self, pg: bool) -> float | None:
        return self.target_pg if pg and self.target_pg is not None else self.target


SCENARIOS = [
    Scenario(
        "course page, signed-in, 500 volunteers x 3 courses (half done, not started, completed)",
        "", 0.25, 0.30, target_pg=0.20, rotation="courses",
    ),
    Scenario(
        "lesson page, signed-in, 500 volunteers x the first course's lessons",
        "", 0.25, 0.30, target_pg=0.20, rotation="lessons",
    ),
    Scenario(
        "learning dashboard, signed-in, 500 volunteers", "", 0.25, 0.30, target_pg=0.20, rotation="dashboard"
    ),
    Scenario("public verify page", "/verify/{token}/", 0.6, 0.8),
    Scenario("home page, anonymous", "/", None, None),
    Scenario("issuer profile (issuer.json)", "/certificates/issuer.json", None, None),
    Scenario("health check", "/healthz", None, None),
]  # fmt: skip


ROTATED_LEARNERS = 500  # the signed-in scenarios' sessions (the mixed journey's ramp uses more)


def rotation_file(kind: str, sessions: dict) -> Path:
    """The (path, cookie) pairs a rotating scenario requests in turn, one per line."""
    cookie = sessions["cookie_name"]
    learners = sessions["learners"][:ROTATED_LEARNERS]
    if kind == "courses":
        pairs = [(url, session) for session in learners for url in sessions["course_urls"]]
    elif kind == "lessons":
        lessons = [lesson["url"] for lesson in sessions["lessons"]]
        pairs = [(lessons[(n * 3 + k) % len(lessons)], s) for n, s in enumerate(learners) for k in range(3)]
    elif kind == "dashboard":
        pairs = [(sessions["dashboard_url"], session) for session in learners]
    else:
        raise ValueError(kind)
    path = DATA / f"rotation-{kind}.tsv"
    path.write_text("".join(f"{url}\t{cookie}={session}\n" for url, session in pairs))
    return path


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def postgres_master(env: dict) -> int | None:
    """The postmaster of the PostgreSQL the run uses (scripts/services.sh's), or None on SQLite."""
    if "DATABASE_URL" not in env:
        return None
    pid_file = Path(env.get("SERVICES_ROOT", ROOT / ".services")) / "pg" / "data" / "postmaster.pid"
    return int(pid_file.read_text().split()[0])


def server_pids(server_pid: int, env: dict) -> list[int]:
    """gunicorn's processes, and on --pg PostgreSQL's and Redis's (scripts/services.sh's)."""
    pids = [server_pid, *children(server_pid)]
    master = postgres_master(env)
    if master is not None:
        pids += [master, *children(master)]
        redis = Path(env.get("SERVICES_ROOT", ROOT / ".services")) / "redis" / "pid"
        if redis.exists():
            pids.append(int(redis.read_text().split()[0]))
    return pids


def wrk(base: str, path: str, seconds: int, pids: list[int], rotation: Path | None) -> dict:
    command = ["wrk", "-t2", "-c20", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    command += ["-s", str(ROOT / "bench/wrk_report.lua"), base + path]
    if rotation is not None:
        command += ["--", str(rotation)]
    server_before = cpu_seconds(pids)
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    data = json.loads(re.search(r"WRK_JSON (\{.*\})", output).group(1))
    seconds_run = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / seconds_run
    data["cpu_ms"] = (cpu_seconds(pids) - server_before) * 1000 / max(data["requests"], 1)
    generator = (usage_after.ru_utime - usage_before.ru_utime) + (
        usage_after.ru_stime - usage_before.ru_stime
    )
    data["generator_cores"] = generator / seconds_run
    return data


def measure(scenario: Scenario, *, base: str, args, sessions: dict, pids: list[int]) -> Result:
    """Median throughput over the rounds, the baseline's measured in between (A B A B …)."""
    rotation = rotation_file(scenario.rotation, sessions) if scenario.rotation else None
    path = "/" if rotation else scenario.path.format(token=sessions["holder_certificate"])
    baselines, runs = [], []
    for _ in range(args.rounds):
        baselines.append(wrk(base, "/bench/ok", args.seconds, pids, None))
        runs.append(wrk(base, path, args.seconds, pids, rotation))
    baseline = statistics.median(run["rps"] for run in baselines)
    value = statistics.median(run["rps"] for run in runs)
    ratio = value / baseline
    errors = sum(run["socket_errors"] + run["non2xx"] for run in runs)
    target = scenario.target_for(args.pg)
    generator = max(run["generator_cores"] for run in baselines + runs)
    pages = (
        f"{len(rotation.read_text().splitlines()):,} (page, volunteer) pairs in turn; " if rotation else ""
    )
    return Result(
        scenario=scenario.name,
        metric="req/s",
        value=round(value, 1),
        baseline=round(baseline, 1),
        ratio=round(ratio, 3),
        target=target,
        goal=scenario.goal,
        passed=(target is None or ratio >= target) and errors == 0,
        p50_ms=round(statistics.median(run["p50"] for run in runs) / 1000, 1),
        p95_ms=round(statistics.median(run["p95"] for run in runs) / 1000, 1),
        p99_ms=round(statistics.median(run["p99"] for run in runs) / 1000, 1),
        errors=errors,
        cpu_ms=round(statistics.median(run["cpu_ms"] for run in runs), 2),
        baseline_cpu_ms=round(statistics.median(run["cpu_ms"] for run in baselines), 2),
        note=f"{pages}closed loop, wrk -c20, no think time; wrk used up to {generator:.2f} cores",
        rounds=[
            {"baseline_rps": round(b["rps"], 1), "rps": round(r["rps"], 1), "cpu_ms": round(r["cpu_ms"], 2),
             "baseline_cpu_ms": round(b["cpu_ms"], 2)}
            for b, r in zip(baselines, runs, strict=True)
        ],
    )  # fmt: skip
