"""Where a signed-in page's CPU goes: the benchmark's pages served in this process, rotating over
learners and pages as the throughput scenarios do, with the CPU per request of each page and of the
bare baseline view (anonymous and signed in), and optionally a profile of the project's functions.

    .venv/bin/python bench/profile_pages.py [--size S] [--requests 300] [--profile course]

Runs on a fresh copy of the SQLite dataset (`make bench` builds it) with the bench settings and the
production middleware, through Django's test client (no HTTP server: the parsing gunicorn does is
left out, so figures are lower than the server's CPU per request in the results).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # bench/ is a folder of scripts, not a package

# The signed-in pages the mixed journey reads (bench/journeys.py); the quiz page as a learner sees it
# before starting an attempt.
PAGES = ("course", "lesson", "dashboard", "quiz", "certificates")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["S", "M"], default="S")
    parser.add_argument("--requests", type=int, default=300, help="per page")
    parser.add_argument("--learners", type=int, default=50, help="signed-in learners to rotate over")
    parser.add_argument("--profile", choices=PAGES, help="print the project's 30 costliest functions")
    args = parser.parse_args()
    args.pg = False
    dataset = run.DATA / f"bench_{run.dataset_key(args.size)}.sqlite3"
    if not dataset.exists():
        raise SystemExit(f"No dataset {dataset.name}: run `make bench` (or bench/dataset.py) first.")
    env = run.fresh_copy(args, run.environment(args))
    os.environ.update({key: env[key] for key in ("SQLITE_PATH", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "training.settings.bench"
    sys.path.insert(0, str(run.ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from courses.models import CoursePage, LessonPage, QuizPage

    courses = CoursePage.objects.filter(slug__startswith="bench-course-").order_by("path")
    first, second, last = courses[0], courses[1], courses[len(courses) - 1]
    lessons = [lesson.url for lesson in LessonPage.objects.descendant_of(first).live().order_by("path")]
    urls = {
        "course": [first.url, second.url, last.url],
        "lesson": lessons,
        "dashboard": [reverse("learning_dashboard")],
        "quiz": [quiz.url for quiz in QuizPage.objects.descendant_of(first).live().order_by("path")],
        "certificates": [reverse("my_certificates")],
    }
    clients = []
    for user in (
        get_user_model().objects.filter(email__startswith="bench-learner-").order_by("email")[: args.learners]
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients.append(client)
    anonymous = Client(HTTP_HOST="127.0.0.1")

    def rotation(page: str):
        pairs = [(client, url) for client in clients for url in urls[page]]
        return [pairs[n % len(pairs)] for n in range(args.requests)]

    def cpu_ms(pairs) -> float:
        for client, url in pairs[: len(clients) * 2]:  # warm: each process keeps what pages are made of
            client.get(url)
        started = time.process_time()
        for client, url in pairs:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
        return (time.process_time() - started) * 1000 / len(pairs)

    print(f"CPU ms per request, in process ({args.requests} requests each, {len(clients)} learners):")
    print(f"  bare view, anonymous: {cpu_ms([(anonymous, '/bench/ok')] * args.requests):.2f}")
    signed_in = [(client, "/bench/ok") for client, _url in rotation("dashboard")]
    print(f"  bare view, signed in: {cpu_ms(signed_in):.2f}")
    for page in PAGES:
        print(f"  {page} page: {cpu_ms(rotation(page)):.2f}")
    if args.profile:
        profiler = cProfile.Profile()
        pairs = rotation(args.profile)
        profiler.enable()
        for client, url in pairs:
            client.get(url)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(str(run.ROOT) + r"/(?!\.venv)", 30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
