#!/usr/bin/env bash
# `make run`'s last step: the development server and the scheduler of periodic jobs, started
# together and stopped together with Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
"$PY" manage.py scheduler &
scheduler=$!
trap 'kill "$scheduler" 2>/dev/null; wait "$scheduler" 2>/dev/null' EXIT
"$PY" manage.py runserver 127.0.0.1:8000
