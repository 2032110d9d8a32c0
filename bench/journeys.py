"""Simulated volunteers with think time, for the latency and capacity scenarios of `make bench`.

Each simulated volunteer is a thread with its own signed-in session (made once by
`bench/dataset.py --sessions`, as a login would) that repeats its journey and waits between
requests, as Open edX's load tests do. Redirects are not followed: every request is measured on its
own. wrk drives the closed-loop throughput scenarios; this drives the open, paced ones.
"""

import random
import re
import secrets
import statistics
import string
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

QUESTIONS = 10
# The right choice of a benchmark question in the attempt's form: its label is "ถูก" (bench/dataset.py).
RIGHT_CHOICE = re.compile(r'name="(answer-q\d+)" value="([0-9a-f]+)"> ถูก</label>')


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Record:
    step: str
    status: int
    ms: float


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    quiz_tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def latencies(self, steps: set[str] | None = None) -> list[float]:
        return [r.ms for r in self.records if steps is None or r.step in steps]

    def errors(self, steps: set[str] | None = None) -> int:
        return sum(
            1 for r in self.records if (steps is None or r.step in steps) and not (200 <= r.status < 400)
        )

    def summary(self, steps: set[str] | None = None) -> dict:
        values = self.latencies(steps)
        return {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1) if values else 0.0,
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "errors": self.errors(steps),
        }


class Volunteer:
    """One signed-in volunteer: a session cookie, a CSRF cookie and a measured request method."""

    def __init__(self, base: str, sessions: dict, session_key: str, run: Run):
        self.base = base
        self.run = run
        self.http = requests.Session()
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.http.cookies.set(sessions["cookie_name"], session_key, domain="127.0.0.1")
        self.http.cookies.set(sessions["csrf_cookie_name"], self.csrf, domain="127.0.0.1")

    def request(self, step: str, method: str, path: str, data=None) -> requests.Response | None:
        if data is not None:
            data = [("csrfmiddlewaretoken", self.csrf), *data]
        started = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, data=data, allow_redirects=False, timeout=30
            )
            status = response.status_code
        except requests.RequestException:
            response, status = None, 0
        self.run.add(Record(step, status, (time.perf_counter() - started) * 1000))
        return response

    def lesson(self, lesson: dict) -> None:
        self.request("lesson page", "GET", lesson["url"])

    def mark_done(self, lesson: dict) -> None:
        self.request("mark as done", "POST", f"/learn/lessons/{lesson['id']}/done/", data=[])

    def quiz(self, quiz: dict, *, resubmit: bool) -> None:
        """Start an attempt with a fresh token and submit ten right answers (twice, sometimes, as a
        double tap would); the database must hold exactly one attempt per token afterwards."""
        token = str(uuid.uuid4())
        with self.run.lock:
            self.run.quiz_tokens.append(token)
        self.request("quiz start", "POST", quiz["url"], data=[("action", "start"), ("token", token)])
        # The form's choice values are opaque and the attempt's own: read them as a browser does.
        form_page = self.request("quiz form", "GET", quiz["url"])
        offered = dict(RIGHT_CHOICE.findall(form_page.text)) if form_page is not None else {}
        answers = [(f"answer-q{n}", offered.get(f"answer-q{n}", "")) for n in range(1, QUESTIONS + 1)]
        form = [("action", "submit"), ("attempt", token), *answers]
        self.request("quiz submit", "POST", quiz["url"], data=form)
        if resubmit:
            self.request("quiz submit", "POST", quiz["url"], data=form)


def simulate(
    *,
    base: str,
    sessions: dict,
    users: int,
    seconds: float,
    think: tuple[float, float],
    journey: str,
    rng_seed: int = 10,
) -> Run:
    """Run `users` simulated volunteers for `seconds`; each waits `think` seconds between requests."""
    if users > len(sessions["learners"]):
        raise SystemExit(f"{users} volunteers wanted, {len(sessions['learners'])} signed in")
    run = Run()
    deadline = time.monotonic() + seconds
    lessons = sessions["lessons"][len(sessions["lessons"]) // 2 :]  # the half not done yet
    quizzes = sessions["quizzes"]

    def wait(rng: random.Random) -> bool:
        pause = rng.uniform(*think)
        if time.monotonic() + pause >= deadline:
            return False
        time.sleep(pause)
        return True

    def volunteer_loop(number: int) -> None:
        rng = random.Random(rng_seed * 100_003 + number)  # noqa: S311 (think times, not secrets)
        person = Volunteer(base, sessions, sessions["learners"][number], run)
        # Arrivals spread over the first think period, as people do not all click at once.
        time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < deadline:
            if journey == "lesson":
                lesson = rng.choice(lessons)
                person.lesson(lesson)
                if not wait(rng):
                    return
                person.mark_done(lesson)
            elif journey == "quiz":
                person.quiz(rng.choice(quizzes), resubmit=rng.random() < 0.1)
            else:  # the mixed journey: dashboard, course, lesson, mark done, quiz, certificates
                lesson, quiz = rng.choice(lessons), rng.choice(quizzes)
                steps = [
                    lambda: person.request("dashboard", "GET", "/learn/"),
                    lambda: person.request("course page", "GET", sessions["course_url"]),
                    lambda lesson=lesson: person.lesson(lesson),
                    lambda lesson=lesson: person.mark_done(lesson),
                    lambda quiz=quiz: person.request("quiz page", "GET", quiz["url"]),
                    lambda quiz=quiz: person.quiz(quiz, resubmit=False),
                    lambda: person.request("my certificates", "GET", "/learn/certificates/"),
                ]
                # Volunteers are at different points of the journey, so a short run sees every step.
                start = number % len(steps)
                for step in steps[start:] + steps[:start]:
                    step()
                    if not wait(rng):
                        return
                continue
            if not wait(rng):
                return

    threads = [threading.Thread(target=volunteer_loop, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return run
