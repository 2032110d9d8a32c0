"""Simulated volunteers with think time, for the latency and capacity scenarios of `make bench`.

One process holds every simulated volunteer as an asyncio task with its own signed-in session
(made once by `bench/dataset.py --sessions`, as a login would) that repeats its journey and waits
between requests, as Open edX's load tests do. A volunteer who is thinking costs a sleeping task,
not a thread, so thousands are cheap; each request opens its own connection (gunicorn's sync
workers close it after the response) and is measured on its own, redirects not followed.

The generator watches itself: its CPU over the run (one core at most, being one event loop) and how
late its timers fire. A late loop would count its own delay as the server's, so a run where the
generator was saturated is reported as such (`Run.saturated`) and must not count. wrk drives the
closed-loop throughput scenarios; this drives the open, paced ones.
"""

import asyncio
import random
import re
import secrets
import statistics
import string
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

QUESTIONS = 10
# The right choice of a benchmark question in the attempt's form: its label is "ถูก" (bench/dataset.py).
RIGHT_CHOICE = re.compile(r'name="(answer-q\d+)" value="([0-9a-f]+)"> ถูก</label>')
TIMEOUT = 30.0  # seconds a request may take before it counts as an error
LAG_TICK = 0.05  # seconds between the generator's checks of its own timers
# The generator is saturated when it used this share of its one core, or its timers fired this late
# (p95): beyond either, the latencies it measures include its own queueing.
SATURATED_CPU = 0.85
SATURATED_LAG_MS = 50.0


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
    at: float = 0.0  # seconds from the run's start to the request's


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    quiz_tokens: list[str] = field(default_factory=list)
    # The generator's own load: the share of one core it used, and how late its timers fired.
    generator_cpu: float = 0.0
    lag_p95_ms: float = 0.0
    lag_max_ms: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    def settled(self, seconds: float) -> "Run":
        """The same run without the requests of its first `seconds` (while volunteers arrive)."""
        kept = [r for r in self.records if r.at >= seconds]
        return Run(kept, self.quiz_tokens, self.generator_cpu, self.lag_p95_ms, self.lag_max_ms, self.started)

    @property
    def saturated(self) -> bool:
        return self.generator_cpu >= SATURATED_CPU or self.lag_p95_ms >= SATURATED_LAG_MS

    def generator(self) -> str:
        state = "SATURATED" if self.saturated else "ok"
        return (
            f"generator {state}: {self.generator_cpu:.0%} of a core, "
            f"timer lag p95 {self.lag_p95_ms:.0f} ms (max {self.lag_max_ms:.0f})"
        )

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


async def exchange(host: str, port: int, request: bytes) -> tuple[int, bytes]:
    """Send one HTTP/1.1 request on a new connection; the response's status and body."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        await writer.drain()
        response = await reader.read()  # until the server closes: the request asked it to
    finally:
        writer.close()
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


class Volunteer:
    """One signed-in volunteer: a session cookie, a CSRF cookie and a measured request method."""

    def __init__(self, base: str, sessions: dict, session_key: str, run: Run):
        address = urlsplit(base)
        self.host, self.port, self.run = address.hostname, address.port, run
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.cookie = f"{sessions['cookie_name']}={session_key}; {sessions['csrf_cookie_name']}={self.csrf}"

    async def request(self, step: str, method: str, path: str, data=None) -> str:
        """Make one request and record it; the response's text ("" after an error)."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close"]
        lines.append(f"Cookie: {self.cookie}")
        body = b""
        if data is not None:
            body = urlencode([("csrfmiddlewaretoken", self.csrf), *data]).encode()
            lines.append("Content-Type: application/x-www-form-urlencoded")
        if method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        started = time.perf_counter()
        try:
            request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
            status, text = await asyncio.wait_for(exchange(self.host, self.port, request), TIMEOUT)
        except (OSError, TimeoutError, ValueError, IndexError):
            status, text = 0, b""
        elapsed = time.perf_counter() - started
        self.run.records.append(Record(step, status, elapsed * 1000, started - self.run.started))
        return text.decode(errors="replace")

    async def lesson(self, lesson: dict) -> None:
        await self.request("lesson page", "GET", lesson["url"])

    async def mark_done(self, lesson: dict) -> None:
        await self.request("mark as done", "POST", f"/learn/lessons/{lesson['id']}/done/", data=[])

    async def quiz(self, quiz: dict, *, resubmit: bool) -> None:
        """Start an attempt with a fresh token and submit ten right answers (twice, sometimes, as a
        double tap would); the database must hold exactly one attempt per token afterwards."""
        token = str(uuid.uuid4())
        self.run.quiz_tokens.append(token)
        await self.request("quiz start", "POST", quiz["url"], data=[("action", "start"), ("token", token)])
        # The form's choice values are opaque and the attempt's own: read them as a browser does.
        offered = dict(RIGHT_CHOICE.findall(await self.request("quiz form", "GET", quiz["url"])))
        answers = [(f"answer-q{n}", offered.get(f"answer-q{n}", "")) for n in range(1, QUESTIONS + 1)]
        form = [("action", "submit"), ("attempt", token), *answers]
        await self.request("quiz submit", "POST", quiz["url"], data=form)
        if resubmit:
            await self.request("quiz submit", "POST", quiz["url"], data=form)


def journey_steps(journey: str, person: Volunteer, sessions: dict, rng: random.Random) -> list:
    """One round of a volunteer's journey: the steps, each a coroutine function, with a think
    between each two."""
    lessons = sessions["lessons"][len(sessions["lessons"]) // 2 :]  # the half not done yet
    lesson, quiz = rng.choice(lessons), rng.choice(sessions["quizzes"])
    if journey == "lesson":
        return [lambda: person.lesson(lesson), lambda: person.mark_done(lesson)]
    if journey == "quiz":
        return [lambda: person.quiz(quiz, resubmit=rng.random() < 0.1)]
    # The mixed journey: dashboard, course, lesson, mark done, quiz page, quiz, certificates.
    return [
        lambda: person.request("dashboard", "GET", sessions["dashboard_url"]),
        lambda: person.request("course page", "GET", sessions["course_url"]),
        lambda: person.lesson(lesson),
        lambda: person.mark_done(lesson),
        lambda: person.request("quiz page", "GET", quiz["url"]),
        lambda: person.quiz(quiz, resubmit=False),
        lambda: person.request("my certificates", "GET", "/learn/certificates/"),
    ]


async def crowd(
    *, base: str, sessions: dict, users: int, seconds: float, think: tuple, journey: str, rng_seed: int
) -> Run:
    run = Run()
    deadline = time.monotonic() + seconds

    async def volunteer(number: int) -> None:
        rng = random.Random(rng_seed * 100_003 + number)  # noqa: S311 (think times, not secrets)
        person = Volunteer(base, sessions, sessions["learners"][number], run)
        # Arrivals spread over the first think period, as people do not all click at once.
        await asyncio.sleep(rng.uniform(0, think[1]))
        first = True
        while time.monotonic() < deadline:
            steps = journey_steps(journey, person, sessions, rng)
            if first:  # volunteers are at different points of the journey: a short run sees every step
                steps = steps[number % len(steps) :] + steps[: number % len(steps)]
                first = False
            for step in steps:
                await step()
                pause = rng.uniform(*think)
                if time.monotonic() + pause >= deadline:
                    return
                await asyncio.sleep(pause)

    lags: list[float] = []

    async def watch_timers() -> None:
        while True:
            planned = time.perf_counter() + LAG_TICK
            await asyncio.sleep(LAG_TICK)
            lags.append(max(0.0, time.perf_counter() - planned) * 1000)

    watcher = asyncio.create_task(watch_timers())
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.wait(
        [asyncio.create_task(volunteer(n)) for n in range(users)], timeout=seconds + TIMEOUT + 5
    )
    run.generator_cpu = (time.process_time() - cpu) / (time.perf_counter() - wall)
    watcher.cancel()
    run.lag_p95_ms, run.lag_max_ms = percentile(lags, 0.95), max(lags, default=0.0)
    return run


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
    return asyncio.run(
        crowd(
            base=base, sessions=sessions, users=users, seconds=seconds, think=think, journey=journey,
            rng_seed=rng_seed,
        )
    )  # fmt: skip
