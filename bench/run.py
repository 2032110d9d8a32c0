"""`make bench`: measured speed against a bare-Django baseline in the same run.

Generates (or reuses) a dataset, starts gunicorn with 2 workers on loopback under the bench
settings, and drives it with wrk. Each scenario alternates with the baseline view (A B A B, at
least 3 rounds) and reports medians and its ratio to the baseline, so results compare across
machines. The load generator shares the machine with the server; the report says so.

    .venv/bin/python bench/run.py [--size S|M] [--pg] [--rounds 3] [--seconds 5]
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
PORT = int(os.environ.get("BENCH_PORT", "18080"))
BASE = f"http://127.0.0.1:{PORT}"
PY = str(ROOT / ".venv" / "bin" / "python")


@dataclass
class Scenario:
    name: str
    path: str
    metric: str  # "throughput_ratio": req/s divided by the baseline's
    target: float | None  # None: measured for information, no target in the issues
    goal: float | None
    signed_in: bool = False
    note: str = ""


@dataclass
class Result:
    scenario: str
    metric: str
    value: float
    baseline: float
    ratio: float
    target: float | None
    goal: float | None
    passed: bool
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    rounds: list = field(default_factory=list)


SCENARIOS = [
    Scenario("public verify page", "/verify/{token}/", "throughput_ratio", 0.5, 0.8),
    Scenario("home page, anonymous", "/", "throughput_ratio", None, None, note="Wagtail page serving"),
    Scenario("issuer profile (issuer.json)", "/certificates/issuer.json", "throughput_ratio", None, None),
    Scenario("health check", "/healthz", "throughput_ratio", None, None),
]


def environment(args) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "training.settings.bench"
    if args.pg:
        lines = subprocess.run(
            ["scripts/services.sh", "start"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        for line in lines.stdout.splitlines():
            for assignment in line.removeprefix("export ").split():
                key, _, value = assignment.partition("=")
                env[key] = value
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/bench_{args.size.lower()}"
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                env["TEST_PGPORT"],
                "-U",
                "postgres",
                "-O",
                "app",
                f"bench_{args.size.lower()}",
            ],
            capture_output=True,
        )
        for key in ("REDIS_URL", "AWS_STORAGE_BUCKET_NAME"):
            env.pop(key, None)  # the database comparison: same cache and storage as the SQLite run
    else:
        env["SQLITE_PATH"] = str(DATA / f"bench-{args.size}.sqlite3")
    env["MEDIA_ROOT"] = str(DATA / "media")
    return env


def start_server(env: dict) -> subprocess.Popen:
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "training.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(DATA / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(BASE + "/bench/ok", timeout=1) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start; see bench/data/gunicorn.log")


def wrk(path: str, seconds: int, connections: int, headers: list[str]) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(ROOT / "bench/wrk_report.lua"),
    ]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout
    data = json.loads(re.search(r"WRK_JSON (\{.*\})", output).group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def measure(scenario: Scenario, args, headers: list[str]) -> Result:
    baselines, runs = [], []
    for _ in range(args.rounds):
        baselines.append(wrk("/bench/ok", args.seconds, 20, []))
        runs.append(wrk(scenario.path, args.seconds, 20, headers if scenario.signed_in else []))
    baseline = statistics.median(run["rps"] for run in baselines)
    value = statistics.median(run["rps"] for run in runs)
    ratio = value / baseline
    errors = sum(run["socket_errors"] + run["non2xx"] for run in runs)
    return Result(
        scenario=scenario.name,
        metric="req/s",
        value=round(value, 1),
        baseline=round(baseline, 1),
        ratio=round(ratio, 3),
        target=scenario.target,
        goal=scenario.goal,
        passed=(scenario.target is None or ratio >= scenario.target) and errors == 0,
        p50_ms=round(statistics.median(run["p50"] for run in runs) / 1000, 1),
        p95_ms=round(statistics.median(run["p95"] for run in runs) / 1000, 1),
        p99_ms=round(statistics.median(run["p99"] for run in runs) / 1000, 1),
        errors=errors,
        rounds=[
            {"baseline_rps": round(b["rps"], 1), "rps": round(r["rps"], 1)}
            for b, r in zip(baselines, runs, strict=True)
        ],
    )


def certificate_token(env: dict) -> str:
    code = (
        "from certificates.models import Certificate; "
        "print(Certificate.objects.filter(status='valid').first().token)"
    )
    result = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def in_process(env: dict) -> list[Result]:
    """PDF rendering and credential signing, warm, measured inside one Python process."""
    output = subprocess.run(
        [PY, "bench/inprocess.py"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(re.search(r"INPROCESS_JSON (\{.*\})", output).group(1))
    results = []
    for name, key, target, goal in [
        ("certificate PDF, warm (p95)", "pdf_p95_ms", 150, 50),
        ("credential signing (p95)", "sign_p95_ms", 5, 1),
    ]:
        value = round(data[key], 2)
        results.append(
            Result(
                scenario=name,
                metric="ms",
                value=value,
                baseline=0,
                ratio=0,
                target=target,
                goal=goal,
                passed=value <= target,
                p50_ms=round(data[key.replace("p95", "p50")], 2),
                p95_ms=value,
                p99_ms=0,
                errors=0,
            )
        )
    return results


def machine_facts(args) -> dict:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": "PostgreSQL" if args.pg else "SQLite",
        "size": args.size,
        "server": "gunicorn, 2 sync workers, loopback",
        "load": "wrk -t2 -c20, on the same machine as the server (they share the cores)",
        "rounds": args.rounds,
        "seconds_per_run": args.seconds,
    }


def bound(value: float | None, metric: str = "") -> str:
    if value is None:
        return "info"
    return f"≤ {value}" if metric == "ms" else f"≥ {value}"


COLUMNS = [
    "scenario",
    "metric",
    "value",
    "baseline",
    "ratio",
    "target",
    "goal",
    "p50 ms",
    "p95 ms",
    "errors",
    "result",
]


def report(results: list[Result], facts: dict) -> str:
    lines = [
        f"# Benchmark {facts['date']} — size {facts['size']}, {facts['database']}",
        "",
        f"{facts['cores']} cores, Python {facts['python']}, {facts['server']}; load: {facts['load']}; "
        f"{facts['rounds']} rounds of {facts['seconds_per_run']} s, medians.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in results:
        cells = [
            r.scenario,
            r.metric,
            r.value,
            r.baseline,
            r.ratio,
            bound(r.target, r.metric),
            bound(r.goal, r.metric),
        ]
        cells += [r.p50_ms, r.p95_ms, r.errors, "pass" if r.passed else "FAIL"]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["S", "M"], default="S")
    parser.add_argument(
        "--pg", action="store_true", help="run on PostgreSQL (started by scripts/services.sh)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    if args.rounds < 3:
        parser.error("at least 3 rounds: the medians need them")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    DATA.mkdir(parents=True, exist_ok=True)
    env = environment(args)
    subprocess.run([PY, "bench/dataset.py", "--size", args.size], cwd=ROOT, env=env, check=True)
    server = start_server(env)
    try:
        token = certificate_token(env)
        scenarios = [
            Scenario(**{**asdict(scenario), "path": scenario.path.format(token=token)})
            for scenario in SCENARIOS
        ]
        results = [measure(scenario, args, []) for scenario in scenarios]
        results += in_process(env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if args.pg:
            subprocess.run(["scripts/services.sh", "stop"], cwd=ROOT, check=False)
    facts = machine_facts(args)
    text = report(results, facts)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{facts['size']}-{facts['database'].lower()}"
    (RESULTS / f"{stem}.md").write_text(text)
    (RESULTS / f"{stem}.json").write_text(
        json.dumps({"machine": facts, "results": [asdict(r) for r in results]}, indent=2)
    )
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
