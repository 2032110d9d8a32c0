"""`manage.py` in a new process, as an operator runs it: for tests of restores and upgrades."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(*arguments: str, env: dict[str, str], cwd: Path = ROOT, timeout: int = 300) -> str:
    """Run `manage.py *arguments` in `cwd` with exactly `env`; its output, or fail with its errors."""
    done = manage_run(*arguments, env=env, cwd=cwd, timeout=timeout)
    assert done.returncode == 0, f"{cwd.name}: manage.py {' '.join(arguments)}\n{done.stderr[-3000:]}"
    return done.stdout


def manage_run(*arguments: str, env: dict[str, str], cwd: Path = ROOT, timeout: int = 300):
    """The same, for a run that may fail: the completed process."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
