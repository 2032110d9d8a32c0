"""`make screenshots`: phone-size pictures of the demo, in Thai, for the README.

Builds a throwaway demo database, serves it on loopback, drives Debian's Chromium with Playwright
and writes docs/screenshots/<name>.png.

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

# (file name, path, demo account to sign in as or None, what to do on the page before the picture)
SHOTS = [
    ("home", "/", None, None),
    ("login", "/accounts/login/", None, None),
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


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "training.settings.dev", "DEBUG": "true"}
        env.update(SQLITE_PATH=str(Path(tmp) / "demo.sqlite3"), MEDIA_ROOT=str(Path(tmp) / "media"))
        for name in ("DATABASE_URL", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"):
            env.pop(name, None)
        server = serve(env)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
                )
                for name, path, account, action in SHOTS:
                    context = browser.new_context(
                        viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="th-TH"
                    )
                    page = context.new_page()
                    if account:
                        sign_in(page, account)
                    page.goto(BASE + path)
                    if action:
                        action(page)
                    page.screenshot(path=OUT / f"{name}.png", full_page=False)
                    print(f"docs/screenshots/{name}.png")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
