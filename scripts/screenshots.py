"""`make screenshots`: phone-size pictures of the demo, in Thai, for the README.

Builds a throwaway demo database, serves it on loopback, drives Debian's Chromium with Playwright
and writes docs/screenshots/<name>.png (the phone's first screen, reduced to a 256-colour palette
so each file stays small). Only this script writes there, and only when run: `make test` never does.

    .venv/bin/python scripts/screenshots.py
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "demo-pass-2026"  # noqa: S105 (the published demo password)

VOLUNTEER = "volunteer@example.org"
PHONE = {"width": 390, "height": 844}


def demo_paths() -> dict[str, str]:
    """The demo pages to photograph, read from the throwaway database the server uses."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.urls import reverse

    from certificates.models import Certificate
    from courses.models import CourseIndexPage, CoursePage, LessonPage, QuizPage, QuizResult

    course = CoursePage.objects.get(slug="orientation", locale__language_code="th")
    finish_the_course(course)
    attempted = QuizResult.objects.filter(volunteer__email=VOLUNTEER).values("quiz")
    return {
        "catalog": CourseIndexPage.objects.get(depth=3, locale__language_code="th").url,
        "course": course.url,
        "lesson": LessonPage.objects.descendant_of(course).live().order_by("path").first().url,
        "quiz": QuizPage.objects.descendant_of(course).filter(pk__in=attempted).order_by("path").first().url,
        "pdf": reverse(
            "certificate_pdf", args=[Certificate.objects.get(volunteer__email=VOLUNTEER, course=course).token]
        ),
    }


def finish_the_course(course) -> None:
    """The demo volunteer is part-way through the orientation course; for the picture of a completed
    course, finish it here (in this throwaway database) through the real services, as a volunteer
    who marks every lesson done and passes every quiz would."""
    import uuid

    from django.contrib.auth import get_user_model

    from courses.demo.quizzes import _right_answers
    from courses.learning.services import lesson_complete
    from courses.models import LessonPage, QuizPage
    from courses.quizzes.services import quiz_attempt_start, quiz_attempt_submit

    volunteer = get_user_model().objects.get(email=VOLUNTEER)
    for lesson in LessonPage.objects.descendant_of(course).live().order_by("path"):
        lesson_complete(volunteer=volunteer, lesson=lesson)
    for quiz in QuizPage.objects.descendant_of(course).live().order_by("path"):
        attempt = quiz_attempt_start(volunteer=volunteer, quiz=quiz, token=uuid.uuid4())
        quiz_attempt_submit(attempt=attempt, answers=_right_answers(attempt.questions))


def shots(paths: dict[str, str]) -> list:
    """(file name, path, sign in as the demo volunteer, the element to scroll to the top or None)."""
    return [
        ("home", "/", False, None),
        ("catalog", paths["catalog"], False, None),
        ("course-completed", paths["course"], True, None),
        ("lesson", paths["lesson"], True, "article h1"),
        ("quiz-result", paths["quiz"], True, "#quiz-result"),
        ("dashboard", "/learn/", True, None),
        ("certificates", "/learn/certificates/", True, None),
    ]


def serve(env: dict) -> subprocess.Popen:
    python = str(ROOT / ".venv/bin/python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1)  # noqa: S310 (loopback)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("The demo server did not start.")


def sign_in(page, email: str) -> None:
    page.goto(BASE + "/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def certificate_picture(context, pdf_path: str) -> None:
    """The demo volunteer's certificate itself: its PDF, drawn at the width of a phone screenshot."""
    pdf = context.request.get(BASE + pdf_path).body()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "certificate.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-singlefile", "-scale-to", "780", str(source), str(Path(tmp) / "page")],
            check=True,
        )
        save_small(Path(tmp) / "page.png", OUT / "certificate.png")
    print("docs/screenshots/certificate.png")


def save_small(png: bytes | Path, path: Path) -> None:
    """Keep the picture, in a 256-colour palette: a fifth of the bytes, no visible difference."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png) if isinstance(png, bytes) else png).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "training.settings.dev",
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
        }
        env.update(
            SQLITE_PATH=str(Path(tmp) / "demo.sqlite3"),
            MEDIA_ROOT=str(Path(tmp) / "media"),
            PRIVATE_MEDIA_ROOT=str(Path(tmp) / "private"),
        )
        for name in ("DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"):
            env.pop(name, None)
        server = serve(env)
        os.environ.update(env)
        try:
            paths = demo_paths()
            targets = shots(paths)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
                )
                context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="th-TH")
                signed_in = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="th-TH")
                sign_in(signed_in.new_page(), VOLUNTEER)
                for name, path, account, scroll_to in targets:
                    page = (signed_in if account else context).new_page()
                    page.goto(BASE + path, wait_until="networkidle")
                    page.evaluate("document.fonts.ready")
                    if scroll_to:
                        page.locator(scroll_to).first.evaluate(
                            "element => { element.scrollIntoView(); window.scrollBy(0, -16); }"
                        )
                    save_small(page.screenshot(full_page=False), OUT / f"{name}.png")
                    print(f"docs/screenshots/{name}.png")
                    page.close()
                certificate_picture(signed_in, paths["pdf"])
                context.close()
                signed_in.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
