"""`make loadtest`: simulated volunteers against gunicorn on the scale-out stack, then a count of rows.

Starts PostgreSQL, S3 (moto) and Redis with scripts/services.sh (on TEST_PGPORT, TEST_S3PORT and
TEST_REDISPORT when set), makes a fresh `loadtest` database, migrates it, seeds courses and
volunteers, serves it with gunicorn (2 workers, training.settings.bench, plain HTTP on loopback) and
runs the journeys. Exits non-zero on any 5xx, any unexpected answer, or any difference between the
writes the clients saw acknowledged and the rows stored.

    .venv/bin/python loadtest/run.py [--volunteers 200] [--seconds 60] [--port 18100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadtest.client import run_load  # noqa: E402
from loadtest.dataset import seed  # noqa: E402
from loadtest.reconcile import passed, reconcile, summary  # noqa: E402
from loadtest.server import start_gunicorn, stop_gunicorn  # noqa: E402

DATA = ROOT / "loadtest" / "data"
DATABASE = "loadtest"


def services_env() -> tuple[dict, bool]:
    """The scale-out stack's environment; True when this run started PostgreSQL (and stops it)."""
    listing = subprocess.run(
        ["scripts/services.sh", "env"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    env = dict(os.environ)
    for line in listing.stdout.splitlines():
        for assignment in line.removeprefix("export ").split():
            key, _, value = assignment.partition("=")
            env[key] = value
    already = (
        subprocess.run(
            ["scripts/services.sh", "status-pg"], cwd=ROOT, env=env, capture_output=True
        ).returncode
        == 0
    )
    subprocess.run(["scripts/services.sh", "start"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return env, not already


def fresh_database(env: dict) -> None:
    for command in (["dropdb", "--if-exists"], ["createdb", "-O", "app"]):
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                *command,
                "-h",
                "127.0.0.1",
                "-p",
                env["TEST_PGPORT"],
                "-U",
                "postgres",
                DATABASE,
            ],
            check=True,
        )
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DATABASE}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--form-logins",
        type=int,
        default=20,
        help="volunteers who sign in through the login form; the others start signed in",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", "18100")))
    args = parser.parse_args()
    env, started_services = services_env()
    try:
        return load_and_count(args, env)
    finally:
        if started_services:
            subprocess.run(["scripts/services.sh", "stop"], cwd=ROOT, env=env, check=False)


def load_and_count(args: argparse.Namespace, env: dict) -> int:
    fresh_database(env)
    env["DJANGO_SETTINGS_MODULE"] = "training.settings.bench"
    env.setdefault("CERTIFICATE_SIGNING_KEY_FILE", str(DATA / "signing.key"))
    env.setdefault("CACHE_KEY_PREFIX", "loadtest")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from certificates.keys import current_issuer_key

    try:
        print(f"Migrating a fresh database '{DATABASE}' ...", flush=True)
        call_command("migrate", verbosity=0)
        print(f"Seeding {args.volunteers} volunteers ...", flush=True)
        plan = seed(volunteers=args.volunteers, form_logins=args.form_logins)
        current_issuer_key()  # the key file exists before two workers could race to make it
        connections.close_all()
        server = start_gunicorn(env, port=args.port, log=DATA / "gunicorn.log")
        try:
            print(
                f"Running {args.volunteers} volunteers for {args.seconds:.0f} s "
                f"against http://127.0.0.1:{args.port}/ ...",
                flush=True,
            )
            ledger, wall = run_load(
                base=f"http://127.0.0.1:{args.port}",
                plan=plan,
                volunteers=args.volunteers,
                seconds=args.seconds,
            )
        finally:
            stop_gunicorn(server)
        tallies = reconcile(plan, ledger)
        print(summary(ledger, tallies, seconds=args.seconds, wall=wall, volunteers=args.volunteers))
        ok = passed(ledger, tallies)
        print("PASS: no 5xx, and exactly the acknowledged writes are stored." if ok else "FAIL")
        return 0 if ok else 1
    finally:
        connections.close_all()


if __name__ == "__main__":
    raise SystemExit(main())
