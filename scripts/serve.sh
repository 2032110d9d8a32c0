#!/usr/bin/env bash
# `make run`'s last step: the development server, the worker (background tasks and the mail
# outbox; mail is printed on its console unless EMAIL_HOST is set) and the scheduler of periodic
# jobs, started together and stopped together with Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${VENV:-.venv}/bin/python
"$PY" manage.py worker &
worker=$!
"$PY" manage.py scheduler &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null; wait "$worker" "$scheduler" 2>/dev/null' EXIT
"$PY" manage.py runserver 127.0.0.1:8000
