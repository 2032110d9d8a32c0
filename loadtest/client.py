"""Simulated volunteers: each signs in once, then repeats the mixed journey (dashboard, course,
lesson, mark done, quiz, certificate) until the time is up, and writes down every write the server
acknowledged, so the database can be compared with what the clients were told.

A 503 (the database is away) is retried after the server's Retry-After, with the same submission
token, the way a browser's "try again" would; anything else 5xx ends the step and is counted.
"""

from __future__ import annotations

import contextlib
import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from loadtest.dataset import CHOICE_FIELDS, RIGHT_ANSWERS, WRONG_ANSWERS, Course, Plan

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)"[^>]*>([^<]*)</label>')
CERTIFICATE_PDF = re.compile(r'href="/certificates/([^"/]+)\.pdf"')
TIMEOUT = 60


class StepFailed(Exception):
    """The server refused a step (a 5xx other than 503, or an unexpected answer): start over."""


@dataclass
class Ledger:
    """What the server acknowledged, and how every request went."""

    progress: set = field(default_factory=set)  # (email, lesson id)
    attempts: set = field(default_factory=set)  # submission tokens of graded attempts
    started: set = field(default_factory=set)  # tokens whose start was acknowledged
    certificates: set = field(default_factory=set)  # certificate tokens seen on "my certificates"
    statuses: Counter = field(default_factory=Counter)
    by_step: Counter = field(default_factory=Counter)  # (step, status)
    transport_errors: int = 0
    retry_after_missing: int = 0
    anomalies: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    journeys: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def merge(self, other: Ledger) -> None:
        with self.lock:
            self.progress |= other.progress
            self.attempts |= other.attempts
            self.started |= other.started
            self.certificates |= other.certificates
            self.statuses.update(other.statuses)
            self.by_step.update(other.by_step)
            self.transport_errors += other.transport_errors
            self.retry_after_missing += other.retry_after_missing
            self.anomalies += other.anomalies
            self.latencies += other.latencies
            self.journeys += other.journeys

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def percentile(self, share: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else 0.0
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(share * 100) - 1]


class Volunteer:
    """One simulated volunteer with its own session (cookies) and its own ledger."""

    def __init__(
        self,
        *,
        base: str,
        plan: Plan,
        email: str,
        deadline: float,
        retry_until: float,
        seed: int,
        quiz_only: bool = False,
        stop: threading.Event | None = None,
    ):
        self.base = base
        self.plan = plan
        self.email = email
        self.deadline = deadline
        self.stop = stop or threading.Event()  # ends the run before the deadline when set
        self.retry_until = retry_until
        self.random = random.Random(seed)
        self.session = requests.Session()
        self.ledger = Ledger()
        # quiz_only: the lessons were marked done when seeding; every round is a quiz submission.
        self.quiz_only = quiz_only
        self.done: dict[int, set[int]] = {
            course.id: {lesson_id for lesson_id, _url in course.lessons} if quiz_only else set()
            for course in plan.courses
        }
        self.completed: set[int] = set()
        self.open_tokens: dict[int, str] = {}  # course id -> token of an attempt started, not yet graded

    def request(self, step: str, method: str, path: str, **kwargs) -> requests.Response:
        """One request; a 503 or a dropped connection is retried after the server's hint."""
        while True:
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, self.base + path, allow_redirects=False, timeout=TIMEOUT, **kwargs
                )
            except requests.RequestException:
                self.ledger.transport_errors += 1
                if time.monotonic() > self.retry_until:
                    raise StepFailed(f"{step}: no connection") from None
                time.sleep(1)
                continue
            self.ledger.latencies.append(time.monotonic() - started)
            self.ledger.statuses[response.status_code] += 1
            self.ledger.by_step[(step, response.status_code)] += 1
            if response.status_code == 503 and time.monotonic() < self.retry_until:
                hint = response.headers.get("Retry-After")
                if hint is None:
                    self.ledger.retry_after_missing += 1
                time.sleep(min(float(hint or 1), 2.0))
                continue
            if response.status_code >= 500:
                raise StepFailed(f"{step}: {response.status_code}")
            return response

    def expect(self, response: requests.Response, status: int, step: str) -> requests.Response:
        if response.status_code != status:
            self.ledger.anomalies.append(f"{step}: expected {status}, got {response.status_code}")
            raise StepFailed(step)
        return response

    def csrf(self, response: requests.Response, step: str) -> str:
        match = CSRF.search(response.text)
        if not match:
            self.ledger.anomalies.append(f"{step}: no CSRF token on the page")
            raise StepFailed(step)
        return match.group(1)

    def chosen(self, page: requests.Response, answers: dict[str, str]) -> dict[str, str]:
        """`answers` with each choice (named by its label) sent as the value the form gives it."""
        offered = {(name, label.strip()): value for name, value, label in CHOICE.findall(page.text)}
        missing = [name for name in CHOICE_FIELDS if (name, answers[name]) not in offered]
        if missing:
            self.ledger.anomalies.append(f"quiz form: no choice {missing} on the page")
            raise StepFailed("quiz form")
        return {name: offered.get((name, value), value) for name, value in answers.items()}

    def think(self) -> None:
        time.sleep(self.random.uniform(0.05, 0.3))

    # The journey -------------------------------------------------------------------------------

    def log_in(self) -> None:
        session_key = self.plan.sessions.get(self.email)
        if session_key:
            self.session.cookies.set(self.plan.session_cookie, session_key)
            return
        page = self.expect(self.request("login form", "GET", "/accounts/login/"), 200, "login form")
        answer = self.request(
            "login",
            "POST",
            "/accounts/login/",
            data={
                "username": self.email,
                "password": self.plan.password,
                "csrfmiddlewaretoken": self.csrf(page, "login form"),
            },
        )
        self.expect(answer, 302, "login")

    def mark_done(self, course: Course, lesson_id: int, lesson_url: str) -> None:
        page = self.expect(self.request("lesson", "GET", lesson_url), 200, "lesson")
        self.think()
        answer = self.request(
            "mark done",
            "POST",
            f"/learn/lessons/{lesson_id}/done/",
            data={"csrfmiddlewaretoken": self.csrf(page, "lesson")},
        )
        self.expect(answer, 302, "mark done")
        if answer.headers.get("Location", "").split("?")[0] == lesson_url:
            self.ledger.anomalies.append("mark done: sent back to the lesson (refused)")
            raise StepFailed("mark done")
        self.ledger.progress.add((self.email, lesson_id))
        self.done[course.id].add(lesson_id)

    def take_quiz(self, course: Course) -> None:
        page = self.expect(self.request("quiz", "GET", course.quiz_url), 200, "quiz")
        token = self.open_tokens.setdefault(course.id, str(uuid.uuid4()))
        if token not in self.ledger.started:
            answer = self.request(
                "quiz start",
                "POST",
                course.quiz_url,
                data={"action": "start", "token": token, "csrfmiddlewaretoken": self.csrf(page, "quiz")},
            )
            self.expect(answer, 302, "quiz start")
            self.ledger.started.add(token)
            page = self.expect(self.request("quiz form", "GET", course.quiz_url), 200, "quiz form")
        self.think()
        passing = self.random.random() < (0.7 if course.id not in self.completed else 0.5)
        answers = self.chosen(page, RIGHT_ANSWERS if passing else WRONG_ANSWERS)
        answer = self.request(
            "quiz submit",
            "POST",
            course.quiz_url,
            data={
                "action": "submit",
                "attempt": token,
                "csrfmiddlewaretoken": self.csrf(page, "quiz form"),
                **answers,
            },
        )
        self.expect(answer, 302, "quiz submit")
        if "?attempt=" not in answer.headers.get("Location", ""):
            self.ledger.anomalies.append("quiz submit: not graded")
            raise StepFailed("quiz submit")
        self.ledger.attempts.add(token)
        del self.open_tokens[course.id]
        if passing and course.id not in self.completed:
            self.completed.add(course.id)
            self.collect_certificates()

    def collect_certificates(self) -> None:
        page = self.expect(
            self.request("my certificates", "GET", "/learn/certificates/"), 200, "my certificates"
        )
        tokens = set(CERTIFICATE_PDF.findall(page.text))
        if len(tokens) != len(self.completed):
            self.ledger.anomalies.append(
                f"my certificates: {len(tokens)} shown for {len(self.completed)} completed courses"
            )
        self.ledger.certificates |= tokens

    def quiz_round(self) -> None:
        unfinished = [c for c in self.plan.courses if c.id not in self.completed]
        self.take_quiz(unfinished[0] if unfinished else self.random.choice(self.plan.courses))

    def journey(self) -> None:
        if self.quiz_only:
            self.quiz_round()
            return
        self.expect(self.request("dashboard", "GET", "/learn/"), 200, "dashboard")
        unfinished = [c for c in self.plan.courses if c.id not in self.completed]
        course = unfinished[0] if unfinished else self.random.choice(self.plan.courses)
        self.expect(self.request("course", "GET", course.url), 200, "course")
        self.think()
        todo = [lesson for lesson in course.lessons if lesson[0] not in self.done[course.id]]
        lesson_id, lesson_url = todo[0] if todo else self.random.choice(course.lessons)
        self.mark_done(course, lesson_id, lesson_url)
        if len(self.done[course.id]) == len(course.lessons):
            self.take_quiz(course)

    def run(self) -> Ledger:
        try:
            while True:
                try:
                    self.log_in()
                    break
                except StepFailed:
                    if time.monotonic() > self.deadline:
                        return self.ledger
            while time.monotonic() < self.deadline and not self.stop.is_set():
                try:
                    self.journey()
                    self.ledger.journeys += 1
                except StepFailed:
                    time.sleep(0.5)
            # An attempt started but not yet graded is submitted before leaving, so every start ends
            # in an acknowledged (or failed and reported) grade.
            for course in self.plan.courses:
                if course.id in self.open_tokens:
                    with contextlib.suppress(StepFailed):
                        self.take_quiz(course)
        finally:
            self.session.close()
        return self.ledger


def run_load(
    *,
    base: str,
    plan: Plan,
    volunteers: int,
    seconds: float,
    ramp_seconds: float = 5.0,
    retry_seconds: float = 60.0,
    quiz_only: bool = False,
    stop: threading.Event | None = None,
) -> tuple[Ledger, float]:
    """Run `volunteers` simulated volunteers for `seconds`; returns the merged ledger and the wall time."""
    ledger = Ledger()
    started = time.monotonic()
    deadline = started + seconds
    retry_until = deadline + retry_seconds

    def one(index: int) -> None:
        time.sleep(ramp_seconds * index / max(volunteers, 1))
        volunteer = Volunteer(
            base=base,
            plan=plan,
            email=plan.emails[index],
            deadline=deadline,
            retry_until=retry_until,
            seed=index,
            quiz_only=quiz_only,
            stop=stop,
        )
        try:
            ledger.merge(volunteer.run())
        except Exception as error:  # a client bug must show in the summary, not vanish in a thread
            ledger.merge(volunteer.ledger)
            with ledger.lock:
                ledger.anomalies.append(f"client crashed: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=one, args=(index,), daemon=True) for index in range(volunteers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ledger, time.monotonic() - started
