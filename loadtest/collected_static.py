"""Static files collected once per source tree, for every gunicorn the tests and the load test start.

`collectstatic` under the production storage compresses every file twice (gzip and Brotli), the
Wagtail admin's among them: about 45 s of CPU. The served journey site of each test pass, and the
gunicorn of the load and fault tests, each collected their own copy of the same files. Now the
first to need them collects into `.collected-static/<digest>/`, and the others (the other pass, the
next run) serve that folder. The digest covers what the collection is made of: the project's static
files, the installed packages' versions and the Python environment, so a change to any of them
collects afresh.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / ".collected-static"
SKIPPED = {".venv", ".venv-next", "staticfiles", ".collected-static", "node_modules", ".git"}


def _project_static_files() -> list[Path]:
    folders = [ROOT / "static"] + [
        path for path in ROOT.glob("*/static") if path.parent.name not in SKIPPED and path.is_dir()
    ]
    return sorted(file for folder in folders for file in folder.rglob("*") if file.is_file())


def digest(python: str) -> str:
    """What the collection depends on: the project's static files (paths and contents), and the
    packages installed in the environment that runs `collectstatic`."""
    sha = hashlib.sha256()
    sha.update(os.path.abspath(python).encode())
    for file in _project_static_files():
        sha.update(str(file.relative_to(ROOT)).encode())
        sha.update(hashlib.sha256(file.read_bytes()).digest())
    if os.path.abspath(python) == os.path.abspath(sys.executable):
        packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    else:
        listed = subprocess.run([python, "-m", "pip", "freeze"], capture_output=True, text=True, check=True)
        packages = sorted(listed.stdout.split())
    sha.update("\n".join(packages).encode())
    return sha.hexdigest()[:16]


def collected_static(env: dict, *, python: str, settings: str) -> Path:
    """The folder to serve as STATIC_ROOT: collected under `settings` (a settings module with the
    production static storage) the first time, then shared. Safe for several processes at once."""
    FOLDER.mkdir(exist_ok=True)
    key = digest(python)
    target = FOLDER / key
    with open(FOLDER / f"{key}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (target / "staticfiles.json").exists():
            return target
        partial = FOLDER / f"{key}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": settings, "STATIC_ROOT": str(partial)},
            check=True,
        )
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        for older in FOLDER.iterdir():  # collections of trees that are gone
            if older.is_dir() and older.name != key and ".partial-" not in older.name:
                shutil.rmtree(older, ignore_errors=True)
                (FOLDER / f"{older.name}.lock").unlink(missing_ok=True)
    return target
