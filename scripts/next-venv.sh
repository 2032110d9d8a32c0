#!/usr/bin/env bash
# Builds .venv-next for `make test-next`: Python 3.13 with requirements-dev.txt, except that Django
# comes from requirements-next.txt (the newest Django Wagtail supports) instead of requirements.txt's pin.
# Rebuilds only when one of the three requirement files changed. The pinned stack (.venv) is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${NEXT_VENV:-.venv-next}
PYENV_PY313=${PYENV_ROOT:-$HOME/.pyenv}/versions/3.13.0/bin/python3.13

find_python() {
  # pyenv's shim for python3.13 exists even when 3.13 is not an active version and then fails: try it.
  for candidate in "${NEXT_PYTHON:-}" "$(command -v python3.13 || true)" "$PYENV_PY313"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

stamp="$VENV/.next-$(cat requirements.txt requirements-dev.txt requirements-next.txt | sha1sum | cut -c1-12)"
[ -f "$stamp" ] && exit 0

if ! python=$(find_python); then
  echo "make test-next needs Python 3.13: none found as python3.13 on PATH or at $PYENV_PY313." >&2
  echo "Install it (e.g. 'pyenv install 3.13.0') or set NEXT_PYTHON=/path/to/python3.13." >&2
  exit 1
fi
echo "Building $VENV with $python ($("$python" --version))"
[ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" -m pip install -q -U pip
# requirements-dev.txt's `-r requirements.txt` is read next to it: copy both into the venv, the
# runtime list without its Django line.
grep -v -i -E '^django *[<>=~!]' requirements.txt >"$VENV/requirements.txt"
cp requirements-dev.txt "$VENV/requirements-dev.txt"
"$VENV/bin/python" -m pip install -q -r "$VENV/requirements-dev.txt" -r requirements-next.txt
rm -f "$VENV"/.next-*
touch "$stamp"
