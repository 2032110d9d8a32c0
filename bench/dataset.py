"""Generate the benchmark dataset by bulk inserts that satisfy the same constraints as real use.

    python bench/dataset.py --size S

Every generated user shares one precomputed password hash. Reused when it already exists.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings.bench")

SIZES = {"S": {"volunteers": 1_000}, "M": {"volunteers": 10_000}}
PASSWORD = "bench-password"  # noqa: S105 (benchmark users on loopback only)
BATCH = 1_000


def progress(label: str, done: int, total: int) -> None:
    percent = 100 * done // max(total, 1)
    sys.stderr.write(f"\r  {label}: {done:,}/{total:,} ({percent}%)")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def generate(size: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    User = get_user_model()
    wanted = SIZES[size]["volunteers"]
    existing = User.objects.filter(email__startswith="bench-volunteer-").count()
    password = make_password(PASSWORD)
    started = time.monotonic()
    for start in range(existing, wanted, BATCH):
        stop = min(start + BATCH, wanted)
        User.objects.bulk_create(
            [
                User(
                    email=f"bench-volunteer-{n:06d}@example.org",
                    first_name="อาสา",
                    last_name=f"ทดสอบ{n}",
                    password=password,
                )
                for n in range(start, stop)
            ]
        )
        progress("volunteers", stop, wanted)
    print(f"dataset {size} ready in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    generate(parser.parse_args().size)
